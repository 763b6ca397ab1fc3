using SidsFunctions.Tests.Models.Trees;
using SidsModels.Common;
using SidsModels.Ensembles;
using SidsModels.Selection;

namespace SidsFunctions.Tests.Models.Selection;

/// <summary>A random forests' depth grid scored out of bag.</summary>
public sealed class OutOfBagSearchTests
{
    private static readonly (FeatureMatrix X, double[] Y) Data = TestData.Regression(90, 4);

    private static GridCandidate Forest(int? depth, int trees = 60) => new($"forest depth {depth}",
        new RandomForestLearner(new ForestOptions(Trees: trees, MaxDepth: depth, Seed: 5)), new Dictionary<string, object?> { ["max_depth"] = depth });

    [Fact]
    public void ScoresEachDepthByItsOutOfBagErrorsAndKeepsTheWinnersForest()
    {
        // Not in depth order: the search learns the depths together and must give each its own forest back.
        GridCandidate[] candidates = [Forest(null), Forest(1), Forest(3)];
        var weights = Enumerable.Range(0, 90).Select(i => 1.0 + i % 3).ToArray();
        var folds = KFold.Split(90, 5);
        var result = OutOfBagSearch.Run(candidates, Data.X, Data.Y, weights, folds);

        for (var c = 0; c < candidates.Length; c++)
        {
            var learner = (RandomForestLearner)candidates[c].Learner;
            var alone = learner.Fit(Data.X, Data.Y, weights);
            var expected = learner.OutOfBag(Data.X.Rows).Predictions(alone.PredictPerTree(Data.X));
            Assert.Equal(expected, result.OutOfFoldPredictions[c]);
            for (var k = 0; k < folds.Count; k++)
            {
                Assert.Equal(folds[k].Test.Average(i => Math.Pow(Data.Y[i] - expected[i], 2)), result.FoldScores[c][k], 10);
            }
            Assert.Equal(result.FoldScores[c].Average(), result.MeanScores[c], 10);
            if (c == result.BestIndex)
            {
                Assert.Equal(alone.Predict(Data.X), result.BestModel.Predict(Data.X));
            }
        }
        Assert.Equal(result.MeanScores.Min(), result.BestScore);
        // A stump cannot fit the signal: it loses.
        Assert.NotEqual(1, result.BestIndex);
        Assert.True(result.MeanScores[1] > result.BestScore * 1.2);
    }

    [Fact]
    public void OnlyBootstrappedForestsOfEnoughTreesAndOneFamilyCanBeScoredOutOfBag()
    {
        var folds = KFold.Split(90, 5);
        var extra = new GridCandidate("extra", new ExtraTreesLearner(new ForestOptions(Trees: 60)), new Dictionary<string, object?>());
        Assert.Throws<ArgumentException>(() => OutOfBagSearch.Run([extra], Data.X, Data.Y, [], folds));
        var bootstrapped = new GridCandidate("extra, bootstrap", new ExtraTreesLearner(new ForestOptions(Trees: 60), bootstrap: true),
            new Dictionary<string, object?>());
        Assert.Throws<ArgumentException>(() => OutOfBagSearch.Run([Forest(3), bootstrapped], Data.X, Data.Y, [], folds));
        Assert.Equal(0, OutOfBagSearch.Run([bootstrapped], Data.X, Data.Y, [], folds).BestIndex);
        Assert.Throws<ArgumentException>(() => OutOfBagSearch.Run([Forest(3, trees: 10)], Data.X, Data.Y, [], folds));
        var otherSeed = new GridCandidate("seed 6", new RandomForestLearner(new ForestOptions(Trees: 60, Seed: 6)), new Dictionary<string, object?>());
        Assert.Throws<ArgumentException>(() => OutOfBagSearch.Run([Forest(3), otherSeed], Data.X, Data.Y, [], folds));
        Assert.Throws<ArgumentException>(() => OutOfBagSearch.Run([], Data.X, Data.Y, [], folds));
    }
}
