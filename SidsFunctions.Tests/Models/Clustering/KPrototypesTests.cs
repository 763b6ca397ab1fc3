using SidsModels.Clustering;
using SidsModels.Common;

namespace SidsFunctions.Tests.Models.Clustering;

public sealed class KPrototypesTests
{
    [Fact]
    public void DefaultGammaIsHalfTheMeanColumnStandardDeviation()
    {
        // numpy: 0.5 * np.mean(np.array([[1,0],[2,0],[3,10],[4,10.]]).std(axis=0)) = 1.5295084971874737
        var numeric = FeatureMatrix.FromRows([[1.0, 0.0], [2.0, 0.0], [3.0, 10.0], [4.0, 10.0]]);
        Assert.Equal(1.5295084971874737, KPrototypesLearner.DefaultGamma(numeric), 14);
        Assert.Equal(1.0, KPrototypesLearner.DefaultGamma(FeatureMatrix.FromRows([[2.0], [2.0]])));
    }

    [Fact]
    public void PlantedMixedClustersAreRecovered()
    {
        var (numeric, categorical, truth) = PlantedMixed(new Rng(2), clusters: 3, perCluster: 40);
        var model = new KPrototypesLearner(new KPrototypesOptions(3) { Seed = 1 }).Learn(numeric, categorical);
        Assert.True(KMeansTests.Agreement(model.Labels, truth) >= 0.95);
        Assert.Equal(Cost(numeric, categorical, model), model.Cost, 6);
        Assert.Equal(KPrototypesLearner.DefaultGamma(numeric), model.Gamma);
    }

    [Fact]
    public void MeansAreTheMeansOfTheirClusters()
    {
        var (numeric, categorical, _) = PlantedMixed(new Rng(4), clusters: 4, perCluster: 25);
        var model = new KPrototypesLearner(new KPrototypesOptions(4) { Seed = 6 }).Learn(numeric, categorical);
        for (var c = 0; c < 4; c++)
        {
            var members = Enumerable.Range(0, numeric.Rows).Where(i => model.Labels[i] == c).ToArray();
            for (var j = 0; j < numeric.Columns; j++)
            {
                Assert.Equal(members.Average(i => numeric[i, j]), model.Means(c)[j], 9);
            }
        }
    }

    [Fact]
    public void FewCategoriesFallBackToDistinctRandomRows()
    {
        // One binary question and k = 3: Huang cannot find 3 rows with distinct categories (the kmodes package raises).
        var (numeric, _, truth) = PlantedMixed(new Rng(7), clusters: 3, perCluster: 30);
        var binary = CategoricalMatrix.FromColumns([Enumerable.Range(0, numeric.Rows).Select(i => i % 2 == 0 ? "yes" : "no").ToArray()]);
        var model = new KPrototypesLearner(new KPrototypesOptions(3) { Seed = 2 }).Learn(numeric, binary);
        Assert.Equal(3, model.Labels.Distinct().Count());
        Assert.True(KMeansTests.Agreement(model.Labels, truth) >= 0.9);
        Assert.Equal(Cost(numeric, binary, model), model.Cost, 6);
    }

    [Fact]
    public void TheSameSeedGivesTheSameModelWhateverTheParallelism()
    {
        var (numeric, categorical, _) = PlantedMixed(new Rng(3), clusters: 4, perCluster: 30);
        var one = new KPrototypesLearner(new KPrototypesOptions(5) { Seed = 8, MaxDegreeOfParallelism = 1 }).Learn(numeric, categorical);
        var many = new KPrototypesLearner(new KPrototypesOptions(5) { Seed = 8, MaxDegreeOfParallelism = 4 }).Learn(numeric, categorical);
        Assert.Equal(one.Labels, many.Labels);
        Assert.Equal(one.Cost, many.Cost);
    }

    [Fact]
    public void GammaWeighsTheCategoricalPart()
    {
        // Numeric says {0,1} | {2,3}; the categories say {0,2} | {1,3}. A huge gamma follows the categories.
        var numeric = FeatureMatrix.FromRows([[0.0], [0.1], [5.0], [5.1]]);
        var categorical = KModesTests.Categories(["a", "b", "a", "b"]);
        var byNumbers = new KPrototypesLearner(new KPrototypesOptions(2) { Gamma = 0.01, Seed = 1 }).Learn(numeric, categorical);
        var byCategories = new KPrototypesLearner(new KPrototypesOptions(2) { Gamma = 1000, Seed = 1 }).Learn(numeric, categorical);
        Assert.Equal(byNumbers.Labels[0], byNumbers.Labels[1]);
        Assert.NotEqual(byNumbers.Labels[0], byNumbers.Labels[2]);
        Assert.Equal(byCategories.Labels[0], byCategories.Labels[2]);
        Assert.NotEqual(byCategories.Labels[0], byCategories.Labels[1]);
    }

    [Fact]
    public void BadInputIsRefused()
    {
        var numeric = FeatureMatrix.FromRows([[0.0], [double.NaN]]);
        var categorical = KModesTests.Categories(["a", "b"]);
        Assert.Throws<ArgumentException>(() => new KPrototypesLearner(new KPrototypesOptions(2)).Learn(numeric, categorical));
        Assert.Throws<ArgumentException>(() => new KPrototypesLearner(new KPrototypesOptions(2)).Learn(FeatureMatrix.FromRows([[0.0]]), categorical));
        Assert.ThrowsAny<ArgumentException>(() => new KPrototypesLearner(new KPrototypesOptions(2) { Gamma = -1 }));
    }

    [Fact]
    public void CancellationStopsLearning()
    {
        var (numeric, categorical, _) = PlantedMixed(new Rng(1), clusters: 2, perCluster: 10);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new KPrototypesLearner(new KPrototypesOptions(2)).Learn(numeric, categorical, cancelled.Token));
    }

    private static double Cost(FeatureMatrix numeric, CategoricalMatrix categorical, KPrototypesModel model)
    {
        var cost = 0.0;
        for (var i = 0; i < numeric.Rows; i++)
        {
            var c = model.Labels[i];
            for (var j = 0; j < numeric.Columns; j++)
            {
                cost += Math.Pow(numeric[i, j] - model.Means(c)[j], 2);
            }
            for (var a = 0; a < categorical.Columns; a++)
            {
                cost += categorical[i, a] == model.Mode(c)[a] ? 0 : model.Gamma;
            }
        }
        return cost;
    }

    /// <summary>Two numeric attributes (blobs) and three categorical ones (planted profiles, 20% noise).</summary>
    internal static (FeatureMatrix Numeric, CategoricalMatrix Categorical, int[] Truth) PlantedMixed(Rng rng, int clusters, int perCluster)
    {
        var (numeric, truth) = KMeansTests.Blobs(rng, clusters, perCluster, 2, spread: 1.0, distance: 4);
        var (categorical, _) = KModesTests.PlantedCategories(rng, clusters, perCluster, attributes: 3, levels: 4, noise: 0.2);
        return (numeric, categorical, truth);
    }
}
