using SidsModels.Common;
using SidsModels.Trees;

namespace SidsFunctions.Tests.Models.Trees;

/// <summary>Behaviour of the regression tree beyond the scikit-learn reference cases.</summary>
public sealed class DecisionTreeTests
{
    [Fact]
    public void ThresholdIsTheMidpointBetweenNeighbours()
    {
        var x = FeatureMatrix.FromRows([[1.0], [2.0], [3.0], [4.0]]);
        var tree = new DecisionTreeLearner().Fit(x, [0, 0, 1, 1], default);
        Assert.Equal(0, tree.NodeFeature(0));
        Assert.Equal(2.5, tree.NodeThreshold(0));
        Assert.Equal(0, tree.Predict([2.5]));
        Assert.Equal(1, tree.Predict([2.6]));
    }

    [Fact]
    public void WeightsMoveTheLeafMeans()
    {
        var x = FeatureMatrix.FromRows([[1.0], [1.0], [2.0], [2.0]]);
        double[] y = [0, 10, 20, 20];
        var unweighted = new DecisionTreeLearner(new TreeOptions(MaxDepth: 1)).Fit(x, y, default);
        var weighted = new DecisionTreeLearner(new TreeOptions(MaxDepth: 1)).Fit(x, y, [3, 1, 1, 1]);
        Assert.Equal(5, unweighted.Predict([1.0]));
        Assert.Equal(2.5, weighted.Predict([1.0]));
    }

    [Fact]
    public void ZeroWeightRowsAreLeftOut()
    {
        var (x, y) = TestData.Regression(40, 4);
        var weights = Enumerable.Range(0, 40).Select(i => i % 5 == 0 ? 0.0 : 1.0 + i % 3).ToArray();
        var kept = Enumerable.Range(0, 40).Where(i => weights[i] != 0).ToArray();
        var withZeros = new DecisionTreeLearner(new TreeOptions(Seed: 3)).Fit(x, y, weights);
        var withoutRows = new DecisionTreeLearner(new TreeOptions(Seed: 3)).Fit(
            x.SelectRows(kept), kept.Select(i => y[i]).ToArray(), kept.Select(i => weights[i]).ToArray());
        var (test, _) = TestData.Regression(30, 4, seed: 9);
        Assert.Equal(withoutRows.Predict(test), withZeros.Predict(test));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void MaxDepthIsRespected(int depth)
    {
        var (x, y) = TestData.Regression(100, 3);
        var tree = new DecisionTreeLearner(new TreeOptions(MaxDepth: depth)).Fit(x, y, default);
        Assert.Equal(depth, tree.Depth);
        Assert.True(tree.NodeCount <= (1 << (depth + 1)) - 1);
    }

    [Fact]
    public void UnlimitedDepthReproducesDistinctTrainingRows()
    {
        var (x, y) = TestData.Regression(60, 3);
        var tree = new DecisionTreeLearner().Fit(x, y, default);
        var fitted = tree.Predict(x);
        for (var i = 0; i < y.Length; i++)
        {
            Assert.Equal(y[i], fitted[i], 12);
        }
    }

    [Fact]
    public void MinSamplesLeafKeepsEnoughRowsInEveryLeaf()
    {
        var (x, y) = TestData.Regression(80, 3);
        var tree = new DecisionTreeLearner(new TreeOptions(MinSamplesLeaf: 7)).Fit(x, y, default);
        var perLeaf = Enumerable.Range(0, x.Rows).GroupBy(r => tree.LeafOf(x.Row(r)));
        Assert.All(perLeaf, leaf => Assert.True(leaf.Count() >= 7));
    }

    [Fact]
    public void ConstantFeaturesAreNeverSplitAndImportancesSumToOne()
    {
        var (x, y) = TestData.Regression(50, 3);
        for (var r = 0; r < x.Rows; r++)
        {
            x[r, 2] = 4.0 + r * 1e-9; // range below 1e-7 after rounding to single precision: constant
        }
        var tree = new DecisionTreeLearner().Fit(x, y, default);
        Assert.All(Enumerable.Range(0, tree.NodeCount), node => Assert.NotEqual(2, tree.NodeFeature(node)));
        Assert.Equal(0, tree.FeatureImportances[2]);
        Assert.Equal(1, tree.FeatureImportances.Sum(), 12);
        Assert.True(tree.FeatureImportances[0] > tree.FeatureImportances[1]);
    }

    [Fact]
    public void ConstantTargetGivesOneLeafAndZeroImportances()
    {
        var (x, _) = TestData.Regression(20, 2);
        var tree = new DecisionTreeLearner().Fit(x, Enumerable.Repeat(3.5, 20).ToArray(), default);
        Assert.Equal(1, tree.NodeCount);
        Assert.Equal(3.5, tree.Predict(x.Row(0)));
        Assert.Equal([0.0, 0.0], tree.FeatureImportances);
    }

    [Fact]
    public void RandomSplitterDrawsThresholdsInsideTheNodeRange()
    {
        var (x, y) = TestData.Regression(60, 2);
        var tree = new DecisionTreeLearner(new TreeOptions(Splitter: TreeSplitter.Random, MaxDepth: 1, Seed: 5)).Fit(x, y, default);
        var feature = tree.NodeFeature(0);
        var column = x.Column(feature);
        Assert.InRange(tree.NodeThreshold(0), column.Min(), column.Max());
        var other = new DecisionTreeLearner(new TreeOptions(Splitter: TreeSplitter.Random, MaxDepth: 1, Seed: 6)).Fit(x, y, default);
        Assert.NotEqual(tree.NodeThreshold(0), other.NodeThreshold(0));
    }

    [Fact]
    public void MaxFeaturesResolveAsScikitLearn()
    {
        Assert.Equal(150, MaxFeatures.All.Resolve(150));
        Assert.Equal(12, MaxFeatures.Sqrt.Resolve(150));
        Assert.Equal(7, MaxFeatures.Log2.Resolve(150));
        Assert.Equal(3, MaxFeatures.Fraction(0.33).Resolve(10));
        Assert.Equal(1, MaxFeatures.Fraction(0.01).Resolve(10));
        Assert.Equal(4, MaxFeatures.Count(10).Resolve(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => MaxFeatures.Fraction(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MaxFeatures.Count(0));
    }

    [Fact]
    public void BadInputIsRejected()
    {
        var x = FeatureMatrix.FromRows([[1.0], [double.NaN]]);
        Assert.Throws<ArgumentException>(() => new DecisionTreeLearner().Fit(x, [1, 2], default));
        var good = FeatureMatrix.FromRows([[1.0], [2.0]]);
        Assert.Throws<ArgumentException>(() => new DecisionTreeLearner().Fit(good, [1], default));
        Assert.Throws<ArgumentException>(() => new DecisionTreeLearner().Fit(good, [1, 2], [1, -1]));
        Assert.Throws<ArgumentException>(() => new DecisionTreeLearner().Fit(good, [1, 2], [0, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DecisionTreeLearner(new TreeOptions(MaxDepth: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DecisionTreeLearner(new TreeOptions(MinSamplesLeaf: 0)));
    }

    [Fact]
    public void LearningLeavesTheLearnerUnchangedAndModelsAreThreadSafe()
    {
        var (x, y) = TestData.Regression(80, 3);
        var learner = new DecisionTreeLearner(new TreeOptions(MaxDepth: 5, Seed: 2));
        var options = learner.Options;
        var models = Enumerable.Range(0, 8).AsParallel().Select(_ => learner.Fit(x, y, default)).ToArray();
        Assert.Same(options, learner.Options);
        var expected = models[0].Predict(x);
        Assert.All(models, m => Assert.Equal(expected, m.Predict(x)));
        var parallel = Enumerable.Range(0, x.Rows).AsParallel().AsOrdered().Select(r => models[0].Predict(x.Row(r))).ToArray();
        Assert.Equal(expected, parallel);
    }
}
