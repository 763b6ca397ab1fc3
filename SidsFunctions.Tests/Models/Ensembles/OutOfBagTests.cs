using SidsFunctions.Tests.Models.Trees;
using SidsModels.Common;
using SidsModels.Ensembles;

namespace SidsFunctions.Tests.Models.Ensembles;

/// <summary>A bootstrapped forest's out-of-bag rows (random forests; extra trees with bootstrap): exactly the rows each tree's bootstrap left out.</summary>
public sealed class OutOfBagTests
{
    private static readonly (FeatureMatrix X, double[] Y) Train = TestData.Regression(120, 6);

    /// <summary>
    /// A fully grown tree ends with pure leaves: it predicts every row of its bootstrap exactly (distinct rows and
    /// targets), and a row it never saw only by chance (its leaf is another row's). So the rows a tree predicts exactly are its in-bag rows.
    /// </summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void ATreePredictsATrainingRowExactlyIfAndOnlyIfItsBootstrapHeldIt(bool weighted, bool extraTrees)
    {
        var options = new ForestOptions(Trees: 40, Seed: 9);
        IBootstrapForestLearner learner = extraTrees ? new ExtraTreesLearner(options, bootstrap: true) : new RandomForestLearner(options);
        var weights = weighted ? Enumerable.Range(0, Train.X.Rows).Select(i => 1.0 + i % 4).ToArray() : [];
        var forest = (ForestModel)learner.Learn(Train.X, Train.Y, weights);
        var outOfBag = learner.OutOfBag(Train.X.Rows);
        Assert.Equal((40, 120), (outOfBag.Trees, outOfBag.Rows));
        var left = 0;
        for (var t = 0; t < forest.TreeCount; t++)
        {
            for (var i = 0; i < Train.X.Rows; i++)
            {
                // Up to rounding: a leaf's value is its rows' weighted mean, (c · y) / c for a row drawn c times.
                var exact = Math.Abs(forest.Trees[t].Predict(Train.X.Row(i)) - Train.Y[i]) < 1e-9;
                Assert.True(exact != outOfBag.IsOutOfBag(t, i), $"tree {t}, row {i}: exact {exact}, out of bag {outOfBag.IsOutOfBag(t, i)}");
                left += outOfBag.IsOutOfBag(t, i) ? 1 : 0;
            }
        }
        // (1 − 1/n)^n ≈ 0.366 of the rows are left out of each bootstrap.
        Assert.InRange(left / (40.0 * 120), 0.33, 0.40);
    }

    [Fact]
    public void ExtraTreesWithoutBootstrapLeaveNoRowOut()
    {
        var learner = new ExtraTreesLearner(new ForestOptions(Trees: 10, Seed: 9));
        Assert.False(learner.Bootstrap);
        Assert.Throws<InvalidOperationException>(() => learner.OutOfBag(Train.X.Rows));
        // Without bootstrap every tree holds every row: a fully grown tree predicts each exactly.
        var forest = learner.Fit(Train.X, Train.Y, []);
        Assert.All(Enumerable.Range(0, Train.X.Rows), i => Assert.Equal(Train.Y[i], forest.Trees[0].Predict(Train.X.Row(i)), 9));
    }

    [Fact]
    public void ARowsOutOfBagPredictionIsTheMeanOfTheTreesThatLeftItOut()
    {
        var learner = new RandomForestLearner(new ForestOptions(Trees: 25, Seed: 2, MaxDepth: 4));
        var forest = learner.Fit(Train.X, Train.Y, []);
        var outOfBag = learner.OutOfBag(Train.X.Rows);
        var perTree = forest.PredictPerTree(Train.X);
        var predictions = outOfBag.Predictions(perTree);
        for (var i = 0; i < Train.X.Rows; i++)
        {
            var trees = Enumerable.Range(0, 25).Where(t => outOfBag.IsOutOfBag(t, i)).ToArray();
            Assert.NotEmpty(trees);
            Assert.Equal(trees.Average(t => forest.Trees[t].Predict(Train.X.Row(i))), predictions[i], 12);
            Assert.Equal(trees.Select(t => perTree[i, t]).ToArray(), outOfBag.OutOfBagTreePredictions(perTree, i));
        }
        Assert.Throws<ArgumentException>(() => outOfBag.Predictions(forest.PredictPerTree(TestData.Regression(10, 6).X)));
    }
}
