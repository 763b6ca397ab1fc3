using SidsModels.Clustering;
using SidsModels.Common;

namespace SidsFunctions.Tests.Models.Clustering;

public sealed class KModesTests
{
    [Fact]
    public void PlantedCategoricalClustersAreRecovered()
    {
        var (x, truth) = PlantedCategories(new Rng(3), clusters: 3, perCluster: 50, attributes: 6, levels: 4, noise: 0.15);
        var model = new KModesLearner(new KModesOptions(3) { Seed = 1 }).Learn(x);
        Assert.True(KMeansTests.Agreement(model.Labels, truth) >= 0.95);
        Assert.Equal(Cost(x, model), model.Cost);
    }

    [Fact]
    public void ModesAreTheMostFrequentCategoriesOfTheirClusters()
    {
        var (x, _) = PlantedCategories(new Rng(8), clusters: 4, perCluster: 30, attributes: 5, levels: 3, noise: 0.3);
        var model = new KModesLearner(new KModesOptions(4) { Seed = 2 }).Learn(x);
        for (var c = 0; c < 4; c++)
        {
            var members = Enumerable.Range(0, x.Rows).Where(i => model.Labels[i] == c).ToArray();
            Assert.NotEmpty(members);
            for (var a = 0; a < x.Columns; a++)
            {
                var counts = members.GroupBy(i => x[i, a]).ToDictionary(g => g.Key, g => g.Count());
                Assert.Equal(counts.Values.Max(), counts[model.Mode(c)[a]]);
            }
        }
    }

    [Fact]
    public void TenRestartsFindTheOptimumOfASmallProblem()
    {
        // 10 rows, 3 attributes: every 2-clustering enumerated; the optimum is the lowest cost any split reaches.
        var rows = new[] { "aab", "aab", "abb", "bba", "bba", "bca", "cca", "aac", "bbb", "aca" };
        var x = Categories(rows);
        var optimum = double.PositiveInfinity;
        for (var mask = 1; mask < (1 << rows.Length) - 1; mask++)
        {
            var cost = 0.0;
            foreach (var side in new[] { true, false })
            {
                var members = Enumerable.Range(0, rows.Length).Where(i => ((mask >> i) & 1) == 1 == side).ToArray();
                for (var a = 0; a < 3; a++)
                {
                    cost += members.Length - members.GroupBy(i => x[i, a]).Max(g => g.Count());
                }
            }
            optimum = Math.Min(optimum, cost);
        }
        var model = new KModesLearner(new KModesOptions(2) { Seed = 4 }).Learn(x);
        Assert.Equal(optimum, model.Cost);
    }

    [Fact]
    public void AsManyClustersAsDistinctRowsCostNothing()
    {
        // Three distinct rows, each repeated: Huang finds them (or the random fallback does), every row matches its mode.
        var x = Categories(["ab", "ab", "cd", "cd", "cd", "ef", "ef"]);
        Assert.Equal(3, DistinctRows.Count(null, x));
        var model = new KModesLearner(new KModesOptions(3) { Seed = 9 }).Learn(x);
        Assert.Equal(0.0, model.Cost);
        Assert.Equal(3, model.Labels.Distinct().Count());
    }

    [Fact]
    public void FewerDistinctRowsThanClustersIsTheCallersError()
    {
        var x = Categories(["ab", "ab", "cd", "cd"]);
        Assert.Throws<ArgumentException>(() => new KModesLearner(new KModesOptions(3)).Learn(x));
    }

    [Fact]
    public void TheSameSeedGivesTheSameModelWhateverTheParallelism()
    {
        var (x, _) = PlantedCategories(new Rng(5), clusters: 4, perCluster: 40, attributes: 6, levels: 5, noise: 0.4);
        var one = new KModesLearner(new KModesOptions(5) { Seed = 3, MaxDegreeOfParallelism = 1 }).Learn(x);
        var many = new KModesLearner(new KModesOptions(5) { Seed = 3, MaxDegreeOfParallelism = 3 }).Learn(x);
        Assert.Equal(one.Labels, many.Labels);
        Assert.Equal(one.Cost, many.Cost);
    }

    [Fact]
    public void PredictGivesTheClusterOfTheLearnedRows()
    {
        var (x, _) = PlantedCategories(new Rng(6), clusters: 3, perCluster: 20, attributes: 4, levels: 3, noise: 0.1);
        var model = new KModesLearner(new KModesOptions(3) { Seed = 1 }).Learn(x);
        var agree = Enumerable.Range(0, x.Rows).Count(i => model.Predict(x.Row(i)) == model.Labels[i]);
        // A row tied between two modes keeps its cluster while learning but Predict takes the first: nearly all agree.
        Assert.True(agree >= x.Rows - 3);
    }

    [Fact]
    public void CategoriesAreCodedInOrdinalOrder()
    {
        var x = CategoricalMatrix.FromColumns([["b", "a", "unknown", "a"]]);
        Assert.Equal(3, x.Levels(0));
        Assert.Equal([1, 0, 2, 0], x.Codes.ToArray());
        Assert.Equal("unknown", x.Category(0, 2));
    }

    internal static double Cost(CategoricalMatrix x, KModesModel model)
    {
        var cost = 0;
        for (var i = 0; i < x.Rows; i++)
        {
            var mode = model.Mode(model.Labels[i]);
            for (var a = 0; a < x.Columns; a++)
            {
                cost += x[i, a] == mode[a] ? 0 : 1;
            }
        }
        return cost;
    }

    internal static CategoricalMatrix Categories(string[] rows) =>
        CategoricalMatrix.FromColumns(Enumerable.Range(0, rows[0].Length)
            .Select(a => (IReadOnlyList<string>)rows.Select(r => r[a].ToString()).ToArray()).ToArray());

    /// <summary>Each cluster has its own category per attribute; with probability <paramref name="noise"/> a value is drawn at random instead.</summary>
    internal static (CategoricalMatrix X, int[] Truth) PlantedCategories(Rng rng, int clusters, int perCluster, int attributes, int levels, double noise)
    {
        var profiles = new int[clusters, attributes];
        for (var c = 0; c < clusters; c++)
        {
            for (var a = 0; a < attributes; a++)
            {
                profiles[c, a] = (c + a * (c + 1)) % levels;
            }
        }
        var columns = Enumerable.Range(0, attributes).Select(_ => new List<string>()).ToArray();
        var truth = new List<int>();
        for (var c = 0; c < clusters; c++)
        {
            for (var i = 0; i < perCluster; i++)
            {
                for (var a = 0; a < attributes; a++)
                {
                    var value = rng.NextDouble() < noise ? rng.NextInt(levels) : profiles[c, a];
                    columns[a].Add("v" + value);
                }
                truth.Add(c);
            }
        }
        return (CategoricalMatrix.FromColumns(columns), truth.ToArray());
    }
}
