using SidsFunctions.Tests.Models.Trees;
using SidsModels.Common;
using SidsModels.Ensembles;
using SidsModels.Trees;

namespace SidsFunctions.Tests.Models.Ensembles;

/// <summary>Behaviour of random forests and extra trees: determinism, parallelism, cancellation, per-tree predictions.</summary>
public sealed class ForestTests
{
    private static readonly (FeatureMatrix X, double[] Y) Train = TestData.Regression(120, 6);
    private static readonly FeatureMatrix Test = TestData.Regression(25, 6, seed: 11).X;

    public static IEnumerable<object[]> Kinds => [["forest"], ["extra"]];

    private static ForestModel Fit(string kind, ForestOptions options, ReadOnlySpan<double> weights = default) => kind == "forest"
        ? new RandomForestLearner(options).Fit(Train.X, Train.Y, weights)
        : new ExtraTreesLearner(options).Fit(Train.X, Train.Y, weights);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ParallelEqualsSequential(string kind)
    {
        var sequential = Fit(kind, new ForestOptions(Trees: 30, Seed: 4, MaxParallelism: 1));
        var parallel = Fit(kind, new ForestOptions(Trees: 30, Seed: 4, MaxParallelism: 4));
        Assert.Equal(sequential.PredictPerTree(Test).Values.ToArray(), parallel.PredictPerTree(Test).Values.ToArray());
        Assert.Equal(sequential.FeatureImportances, parallel.FeatureImportances);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SameSeedSameModelDifferentSeedDifferentForest(string kind)
    {
        var a = Fit(kind, new ForestOptions(Trees: 20, Seed: 7));
        var b = Fit(kind, new ForestOptions(Trees: 20, Seed: 7));
        var c = Fit(kind, new ForestOptions(Trees: 20, Seed: 8));
        Assert.Equal(a.Predict(Test), b.Predict(Test));
        Assert.NotEqual(a.Predict(Test), c.Predict(Test));
        // Within a forest the trees differ too (bootstrap or random thresholds).
        var perTree = a.PredictPerTree(Test);
        Assert.NotEqual(perTree.Column(0), perTree.Column(1));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void PredictionIsTheMeanOfThePerTreePredictions(string kind)
    {
        var model = Fit(kind, new ForestOptions(Trees: 15, Seed: 1));
        Assert.Equal(15, model.TreeCount);
        var perTree = model.PredictPerTree(Test);
        for (var r = 0; r < Test.Rows; r++)
        {
            Assert.Equal(perTree.Row(r).ToArray().Sum() / 15, model.Predict(Test.Row(r)), 12);
            Assert.Equal(model.Trees[3].Predict(Test.Row(r)), perTree[r, 3]);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ImportancesSumToOneAndFindTheSignal(string kind)
    {
        var model = Fit(kind, new ForestOptions(Trees: 30, Seed: 2));
        Assert.Equal(1, model.FeatureImportances.Sum(), 12);
        var ranked = Enumerable.Range(0, 6).OrderByDescending(f => model.FeatureImportances[f]).ToArray();
        Assert.Equal([0, 1], ranked[..2]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void WeightsMatter(string kind)
    {
        var weights = Enumerable.Range(0, Train.X.Rows).Select(i => i % 4 == 0 ? 5.0 : 1.0).ToArray();
        var plain = Fit(kind, new ForestOptions(Trees: 10, Seed: 3));
        var weighted = Fit(kind, new ForestOptions(Trees: 10, Seed: 3), weights);
        Assert.NotEqual(plain.Predict(Test), weighted.Predict(Test));
    }

    [Fact]
    public void MaxDepthAndMaxFeaturesReachEveryTree()
    {
        var model = Fit("forest", new ForestOptions(Trees: 10, MaxDepth: 3, MaxFeatures: MaxFeatures.Sqrt, Seed: 1));
        Assert.All(model.Trees, t => Assert.True(t.Depth <= 3));
    }

    [Fact]
    public void ExtraTreesWithoutDepthLimitReproduceTheTrainingTargets()
    {
        // No bootstrap: every tree sees every row and grows until leaves are pure.
        var model = Fit("extra", new ForestOptions(Trees: 5, Seed: 1));
        var fitted = model.Predict(Train.X);
        for (var i = 0; i < Train.Y.Length; i++)
        {
            Assert.Equal(Train.Y[i], fitted[i], 9);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void CancellationStopsAFit(string kind)
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => kind == "forest"
            ? new RandomForestLearner().Fit(Train.X, Train.Y, default, cancelled.Token)
            : new ExtraTreesLearner().Fit(Train.X, Train.Y, default, cancelled.Token));

        // A fit that would take minutes stops soon after the token fires.
        using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var huge = new ForestOptions(Trees: 1_000_000, Seed: 1);
        Assert.ThrowsAny<OperationCanceledException>(() => kind == "forest"
            ? new RandomForestLearner(huge).Fit(Train.X, Train.Y, default, soon.Token)
            : new ExtraTreesLearner(huge).Fit(Train.X, Train.Y, default, soon.Token));
    }

    [Fact]
    public void OptionsAreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomForestLearner(new ForestOptions(Trees: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExtraTreesLearner(new ForestOptions(MaxDepth: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomForestLearner(new ForestOptions(MaxParallelism: 0)));
    }
}
