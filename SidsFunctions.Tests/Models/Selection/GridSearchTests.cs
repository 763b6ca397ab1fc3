using SidsFunctions.Tests.Models.Trees;
using SidsModels.Common;
using SidsModels.Ensembles;
using SidsModels.Selection;
using SidsModels.Trees;

namespace SidsFunctions.Tests.Models.Selection;

/// <summary>Grid search and cross-validated predictions.</summary>
public sealed class GridSearchTests
{
    private static readonly (FeatureMatrix X, double[] Y) Data = TestData.Regression(90, 4);

    private static GridCandidate Tree(int? depth) => new(
        $"tree depth {depth?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "None"}",
        new DecisionTreeLearner(new TreeOptions(MaxDepth: depth, Seed: 1)),
        new Dictionary<string, object?> { ["max_depth"] = depth });

    [Fact]
    public void PicksTheLowestMeanErrorAndRefitsItOnAllRows()
    {
        GridCandidate[] candidates = [Tree(1), Tree(4), Tree(2)];
        var weights = Enumerable.Range(0, 90).Select(i => 1.0 + i % 3).ToArray();
        var folds = KFold.Split(90, 5);
        var result = GridSearch.Run(candidates, Data.X, Data.Y, weights, folds);

        Assert.Equal(1, result.BestIndex);
        Assert.Same(candidates[1], result.Best);
        Assert.Equal(result.MeanScores.Min(), result.BestScore);
        // Each fold score is the unweighted MSE of that fold's model on its held-out rows.
        for (var c = 0; c < candidates.Length; c++)
        {
            for (var k = 0; k < folds.Count; k++)
            {
                var train = folds[k].Train;
                var model = candidates[c].Learner.Learn(Data.X.SelectRows(train), train.Select(i => Data.Y[i]).ToArray(),
                    train.Select(i => weights[i]).ToArray());
                var mse = folds[k].Test.Average(i => Math.Pow(Data.Y[i] - model.Predict(Data.X.Row(i)), 2));
                Assert.Equal(mse, result.FoldScores[c][k], 10);
                foreach (var i in folds[k].Test)
                {
                    Assert.Equal(model.Predict(Data.X.Row(i)), result.OutOfFoldPredictions[c][i]);
                }
            }
            Assert.Equal(result.FoldScores[c].Average(), result.MeanScores[c], 10);
        }
        var refit = candidates[1].Learner.Learn(Data.X, Data.Y, weights);
        Assert.Equal(refit.Predict(Data.X), result.BestModel.Predict(Data.X));
    }

    /// <summary>A grid of one candidate learns its final model beside its folds: the same model, with the sample weights, on any parallelism.</summary>
    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    public void AOneCandidateGridRefitsOnAllRowsWithItsWeights(int? parallelism)
    {
        var weights = Enumerable.Range(0, 90).Select(i => 1.0 + i % 3).ToArray();
        var folds = KFold.Split(90, 5);
        var alone = GridSearch.Run([Tree(4)], Data.X, Data.Y, weights, folds, maxParallelism: parallelism);
        var inGrid = GridSearch.Run([Tree(1), Tree(4)], Data.X, Data.Y, weights, folds);
        Assert.Equal(1, inGrid.BestIndex);
        Assert.Equal(inGrid.FoldScores[1], alone.FoldScores[0]);
        Assert.Equal(inGrid.OutOfFoldPredictions[1], alone.OutOfFoldPredictions[0]);
        Assert.Equal(inGrid.BestModel.Predict(Data.X), alone.BestModel.Predict(Data.X));
        var unweighted = Tree(4).Learner.Learn(Data.X, Data.Y, default);
        Assert.NotEqual(unweighted.Predict(Data.X), alone.BestModel.Predict(Data.X));
    }

    [Fact]
    public void AForestScoredByItsFirstTreesIsRefittedWithAllOfThem()
    {
        static ForestOptions Forest(int trees, int? depth) => new(Trees: trees, MaxDepth: depth, Seed: 7);
        GridCandidate Scored(int? depth) => new($"rf {depth}", new RandomForestLearner(Forest(5, depth)), new Dictionary<string, object?>(),
            new RandomForestLearner(Forest(20, depth)));
        var folds = KFold.Split(90, 5);
        var scored = GridSearch.Run([Scored(2), Scored(null)], Data.X, Data.Y, default, folds);
        var small = GridSearch.Run([Scored(2) with { Refit = null }, Scored(null) with { Refit = null }], Data.X, Data.Y, default, folds);

        // Folds score the 5-tree forests; the winner comes back with its 20 trees, the first 5 of them the scored ones.
        Assert.Equal(small.MeanScores, scored.MeanScores);
        Assert.Equal(small.BestIndex, scored.BestIndex);
        var final = Assert.IsType<ForestModel>(scored.BestModel);
        var scoredForest = Assert.IsType<ForestModel>(small.BestModel);
        Assert.Equal(20, final.TreeCount);
        var refit = new RandomForestLearner(Forest(20, scored.BestIndex == 0 ? 2 : null)).Learn(Data.X, Data.Y, default);
        Assert.Equal(refit.Predict(Data.X), final.Predict(Data.X));
        for (var t = 0; t < scoredForest.TreeCount; t++)
        {
            Assert.Equal(scoredForest.Trees[t].Predict(Data.X), final.Trees[t].Predict(Data.X));
        }
    }

    /// <summary>
    /// Searching until a worse depth: the candidates before the stop are scored as the whole grid scores them, the first one
    /// no better than the best before it too, and those after it are never learned, however much better they would have been.
    /// </summary>
    [Fact]
    public void StoppingAtAWorseDepthScoresTheCandidatesUpToItOnly()
    {
        var weights = Enumerable.Range(0, 90).Select(i => 1.0 + i % 3).ToArray();
        var folds = KFold.Split(90, 5);
        GridCandidate[] candidates = [Tree(1), Tree(2), Tree(1), Tree(4), Tree(8)];
        var full = GridSearch.Run(candidates, Data.X, Data.Y, weights, folds);
        var stopped = GridSearch.Run(candidates, Data.X, Data.Y, weights, folds, stopAtWorseDepth: true);

        // The data make depth 2 better than 1 and a deeper tree better still: only the stop keeps the search from it.
        Assert.True(full.MeanScores[1] < full.MeanScores[0]);
        Assert.True(full.BestIndex > 2);
        Assert.Equal(1, stopped.BestIndex);
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(full.FoldScores[c], stopped.FoldScores[c]);
            Assert.Equal(full.OutOfFoldPredictions[c], stopped.OutOfFoldPredictions[c]);
        }
        foreach (var c in new[] { 3, 4 })
        {
            Assert.All(stopped.FoldScores[c], score => Assert.Equal(double.PositiveInfinity, score));
            Assert.All(stopped.OutOfFoldPredictions[c], prediction => Assert.True(double.IsNaN(prediction)));
        }
        Assert.Equal(candidates[1].Learner.Learn(Data.X, Data.Y, weights).Predict(Data.X), stopped.BestModel.Predict(Data.X));

        // A grid that keeps improving is searched to its end, and chooses what the whole grid chooses.
        GridCandidate[] improving = [Tree(1), Tree(2), Tree(4)];
        var ascending = GridSearch.Run(improving, Data.X, Data.Y, weights, folds, stopAtWorseDepth: true);
        var all = GridSearch.Run(improving, Data.X, Data.Y, weights, folds);
        Assert.True(all.MeanScores[2] < all.MeanScores[1] && all.MeanScores[1] < all.MeanScores[0]);
        Assert.Equal(all.MeanScores, ascending.MeanScores);
        Assert.Equal(all.BestIndex, ascending.BestIndex);
    }

    [Fact]
    public void TiesGoToTheFirstCandidate()
    {
        GridCandidate[] candidates = [Tree(3) with { Name = "first" }, Tree(3) with { Name = "second" }];
        var result = GridSearch.Run(candidates, Data.X, Data.Y, default, KFold.Split(90, 5));
        Assert.Equal(result.MeanScores[0], result.MeanScores[1]);
        Assert.Equal("first", result.Best.Name);
    }

    [Fact]
    public void ParallelRunsAreDeterministic()
    {
        GridCandidate[] candidates =
        [
            new("rf 3", new RandomForestLearner(new ForestOptions(Trees: 10, MaxDepth: 3, Seed: 7)), new Dictionary<string, object?>()),
            new("rf", new RandomForestLearner(new ForestOptions(Trees: 10, Seed: 7)), new Dictionary<string, object?>()),
        ];
        var folds = KFold.Split(90, 5);
        var a = GridSearch.Run(candidates, Data.X, Data.Y, default, folds);
        var b = GridSearch.Run(candidates, Data.X, Data.Y, default, folds, maxParallelism: 1);
        Assert.Equal(a.MeanScores, b.MeanScores);
        Assert.Equal(a.OutOfFoldPredictions, b.OutOfFoldPredictions);
        Assert.Equal(a.BestModel.Predict(Data.X), b.BestModel.Predict(Data.X));
    }

    [Fact]
    public void CrossValidatedPredictionsComeFromTheModelThatHeldTheRowOut()
    {
        var learner = new DecisionTreeLearner(new TreeOptions(MaxDepth: 3, Seed: 1));
        var folds = KFold.Split(90, 3);
        var predictions = CrossValidation.Predict(learner, Data.X, Data.Y, default, folds);
        foreach (var fold in folds)
        {
            var model = learner.Learn(Data.X.SelectRows(fold.Train), fold.Train.Select(i => Data.Y[i]).ToArray(), default);
            Assert.All(fold.Test, i => Assert.Equal(model.Predict(Data.X.Row(i)), predictions[i]));
        }
        var grid = GridSearch.Run([new GridCandidate("t", learner, new Dictionary<string, object?>())], Data.X, Data.Y, default, folds);
        Assert.Equal(predictions, grid.OutOfFoldPredictions[0]);
    }

    [Fact]
    public void CrossValidationNeedsFoldsThatPartitionTheRows()
    {
        var learner = new DecisionTreeLearner();
        Fold[] overlapping = [new([2, 3], [0, 1]), new([0, 3], [1, 2])];
        Assert.Throws<ArgumentException>(() => CrossValidation.Predict(learner, Data.X.SelectRows([0, 1, 2, 3]), Data.Y[..4], default, overlapping));
    }

    [Fact]
    public void ALearnersInputErrorReachesTheCallerUnwrapped()
    {
        var failing = new GridCandidate("failing", new FailingLearner(), new Dictionary<string, object?>());
        var error = Assert.Throws<InvalidInputException>(() =>
            GridSearch.Run([Tree(2), failing], Data.X, Data.Y, default, KFold.Split(90, 5)));
        Assert.Equal("target", error.Field);
        Assert.Throws<InvalidInputException>(() => CrossValidation.Predict(new FailingLearner(), Data.X, Data.Y, default, KFold.Split(90, 3)));
    }

    private sealed class FailingLearner : IRegressionLearner
    {
        public IRegressionModel Learn(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights, CancellationToken cancellationToken = default) =>
            throw new InvalidInputException("No usable rows.", "target");
    }

    [Fact]
    public void CancellationStopsTheSearch()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            GridSearch.Run([Tree(2)], Data.X, Data.Y, default, KFold.Split(90, 5), cancelled.Token));
    }
}
