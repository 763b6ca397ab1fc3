using SidsFunctions.Tests.Models.Trees;
using SidsModels.Common;
using SidsModels.Ensembles;
using SidsModels.Selection;

namespace SidsFunctions.Tests.Models.Ensembles;

/// <summary>
/// Forests learned at several depth limits at once (<see cref="IDepthGridLearner"/>) are exactly the forests each
/// limit learns alone: same trees, byte-equal predictions and importances; and a grid search that learns them
/// together reports what learning each candidate alone reports.
/// </summary>
public sealed class DepthGridTests
{
    private static readonly int?[] Depths = [2, 5, 10, 20, 100, null];

    public static TheoryData<string, int> Cases => new()
    {
        { "rfr", 40 }, { "rfr", 200 }, { "etr", 40 }, { "etr", 200 },
    };

    private static IDepthGridLearner Learner(string kind, int? depth, int? maxParallelism = null)
    {
        var options = new ForestOptions(Trees: 12, MaxDepth: depth, Seed: 3, MaxParallelism: maxParallelism);
        return kind == "rfr" ? new RandomForestLearner(options) : new ExtraTreesLearner(options);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EachDepthIsTheForestThatDepthGrowsAlone(string kind, int rows)
    {
        var (x, y) = TestData.Regression(rows, 6, seed: rows);
        var weights = Enumerable.Range(0, rows).Select(i => i % 4 == 0 ? 1 / 50.0 : 1 / 150.0).ToArray();
        var together = Learner(kind, null).LearnDepths(x, y, weights, Depths);
        for (var d = 0; d < Depths.Length; d++)
        {
            var alone = (ForestModel)Learner(kind, Depths[d], maxParallelism: 1).Learn(x, y, weights);
            var shared = (ForestModel)together[d];
            Assert.Equal(alone.TreeCount, shared.TreeCount);
            for (var t = 0; t < alone.TreeCount; t++)
            {
                Assert.Equal(alone.Trees[t].NodeCount, shared.Trees[t].NodeCount);
            }
            Assert.Equal(alone.Predict(x), shared.Predict(x));
            Assert.Equal(alone.FeatureImportances, shared.FeatureImportances);
        }
    }

    /// <summary>One feature: the trees are grown once and cut at each smaller limit; still exactly each limit's forest.</summary>
    [Theory]
    [InlineData(40, false)]
    [InlineData(211, false)]
    [InlineData(211, true)]
    [InlineData(600, true)]
    public void OneFeatureForestsCutAtEachDepthAreTheForestsThatDepthGrowsAlone(int rows, bool ties)
    {
        var random = new Rng(rows);
        var x = new FeatureMatrix(rows, 1);
        var y = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            // Tied values (a fifth of the distinct ones) exercise the scan's slow path.
            x[r, 0] = ties ? Math.Floor(random.NextDouble(0, rows / 5.0)) : random.NextDouble(0, 100);
            y[r] = Math.Sqrt(x[r, 0] + 1) * 10 + random.NextGaussian();
        }
        var weights = Enumerable.Range(0, rows).Select(i => i % 5 == 0 ? 1 / 40.0 : 1 / 170.0).ToArray();
        var together = Learner("rfr", null).LearnDepths(x, y, weights, Depths);
        for (var d = 0; d < Depths.Length; d++)
        {
            var alone = (ForestModel)Learner("rfr", Depths[d], maxParallelism: 1).Learn(x, y, weights);
            var shared = (ForestModel)together[d];
            for (var t = 0; t < alone.TreeCount; t++)
            {
                var (a, b) = (alone.Trees[t], shared.Trees[t]);
                Assert.Equal(a.NodeCount, b.NodeCount);
                for (var node = 0; node < a.NodeCount; node++)
                {
                    Assert.Equal((a.NodeFeature(node), a.NodeThreshold(node), a.LeftChild(node), a.RightChild(node), a.NodeValue(node)),
                        (b.NodeFeature(node), b.NodeThreshold(node), b.LeftChild(node), b.RightChild(node), b.NodeValue(node)));
                }
            }
            Assert.Equal(alone.Predict(x), shared.Predict(x));
            Assert.Equal(alone.FeatureImportances, shared.FeatureImportances);
        }
        // The deepest limits did cut these trees, so the cut path ran.
        Assert.True(((ForestModel)together[0]).Trees.Sum(t => t.NodeCount) < ((ForestModel)together[^1]).Trees.Sum(t => t.NodeCount));
    }

    [Theory]
    [InlineData(false, 40)]
    [InlineData(true, 40)]
    [InlineData(false, 150)]
    [InlineData(true, 150)]
    public void BoostersChainedOverDepthsAreTheBoostersEachDepthLearnsAlone(bool quantile, int rows)
    {
        var (x, y) = TestData.Regression(rows, 5, seed: rows + 1);
        var weights = Enumerable.Range(0, rows).Select(i => 1.0 + i % 3).ToArray();
        var loss = quantile ? BoostingLoss.Quantile(0.5) : BoostingLoss.SquaredError;
        int?[] depths = [3, 4, 20, null];
        var chained = new GradientBoostingLearner(new BoostingOptions(Estimators: 30, MaxDepth: null, Loss: loss, Seed: 4))
            .LearnDepths(x, y, weights, depths);
        for (var d = 0; d < depths.Length; d++)
        {
            var alone = new GradientBoostingLearner(new BoostingOptions(Estimators: 30, MaxDepth: depths[d], Loss: loss, Seed: 4)).Learn(x, y, weights);
            Assert.Equal(alone.Predict(x), chained[d].Predict(x));
            Assert.Equal(alone.FeatureImportances, chained[d].FeatureImportances);
        }
    }

    [Fact]
    public void DepthsMustBeAscending()
    {
        var (x, y) = TestData.Regression(30, 3);
        Assert.Throws<ArgumentException>(() => Learner("rfr", null).LearnDepths(x, y, default, [null, 5]));
        Assert.Throws<ArgumentException>(() => Learner("etr", null).LearnDepths(x, y, default, [10, 5]));
    }

    [Fact]
    public void GridSearchLearningDepthsTogetherReportsWhatEachCandidateAloneReports()
    {
        var (x, y) = TestData.Regression(120, 5, seed: 9);
        var weights = Enumerable.Range(0, 120).Select(i => 1.0 + i % 3).ToArray();
        var folds = KFold.Split(120, 5);
        GridCandidate Candidate(string kind, int? depth) => new($"{kind} {depth}", Learner(kind, depth), new Dictionary<string, object?>());
        // Shuffled depths and two families interleaved: grouping must not change the order or the results.
        GridCandidate[] candidates = [Candidate("rfr", 10), Candidate("etr", null), Candidate("rfr", 2), Candidate("etr", 3), Candidate("rfr", null)];
        var together = GridSearch.Run(candidates, x, y, weights, folds, foldSummary: (model, heldOut) => model.Predict(heldOut));
        for (var c = 0; c < candidates.Length; c++)
        {
            // A wrapper hides IDepthGridLearner, so this search learns every candidate alone.
            var alone = GridSearch.Run([candidates[c] with { Learner = new Alone(candidates[c].Learner) }], x, y, weights, folds,
                foldSummary: (model, heldOut) => model.Predict(heldOut));
            Assert.Equal(alone.FoldScores[0], together.FoldScores[c]);
            Assert.Equal(alone.OutOfFoldPredictions[0], together.OutOfFoldPredictions[c]);
            for (var k = 0; k < folds.Count; k++)
            {
                Assert.Equal((double[])alone.FoldSummaries![0][k]!, (double[])together.FoldSummaries![c][k]!);
            }
        }
    }

    private sealed class Alone(IRegressionLearner inner) : IRegressionLearner
    {
        public IRegressionModel Learn(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights, CancellationToken cancellationToken = default) =>
            inner.Learn(x, y, weights, cancellationToken);
    }
}
