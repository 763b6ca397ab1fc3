using SidsFunctions.Tests.Models.Trees;
using SidsModels.Common;
using SidsModels.Ensembles;

namespace SidsFunctions.Tests.Models.Ensembles;

/// <summary>Behaviour of gradient boosting beyond the scikit-learn reference cases.</summary>
public sealed class GradientBoostingTests
{
    private static readonly (FeatureMatrix X, double[] Y) Train = TestData.Regression(150, 4);

    [Fact]
    public void SquaredErrorStartsAtTheWeightedMeanAndFitsTheTrainingData()
    {
        double[] weights = Enumerable.Range(0, 150).Select(i => 1.0 + i % 2).ToArray();
        var model = new GradientBoostingLearner(new BoostingOptions(Estimators: 200)).Fit(Train.X, Train.Y, weights);
        var mean = Train.Y.Zip(weights, (y, w) => y * w).Sum() / weights.Sum();
        Assert.Equal(mean, model.InitialEstimate, 10);
        Assert.Equal(200, model.Trees.Count);
        var fitted = model.Predict(Train.X);
        var mse = fitted.Zip(Train.Y, (p, y) => (p - y) * (p - y)).Average();
        Assert.True(mse < 0.5, $"training MSE {mse}");
        Assert.All(model.Trees, t => Assert.True(t.Depth <= 3));
    }

    [Fact]
    public void QuantilesOrderTheirPredictions()
    {
        var low = new GradientBoostingLearner(new BoostingOptions(Loss: BoostingLoss.Quantile(0.05))).Fit(Train.X, Train.Y, default);
        var high = new GradientBoostingLearner(new BoostingOptions(Loss: BoostingLoss.Quantile(0.95))).Fit(Train.X, Train.Y, default);
        var below = low.Predict(Train.X).Zip(Train.Y).Count(p => p.Second < p.First);
        var above = high.Predict(Train.X).Zip(Train.Y).Count(p => p.Second > p.First);
        Assert.InRange(below, 0, 30);
        Assert.InRange(above, 0, 30);
        Assert.True(low.Predict(Train.X).Zip(high.Predict(Train.X)).Count(p => p.First < p.Second) > 140);
    }

    [Fact]
    public void UnweightedQuantileStartsAtNumpysInterpolatedPercentile()
    {
        // np.percentile([1, 2, 3, 4], 50) = 2.5 (interpolated), as GradientBoostingRegressor's init without weights.
        var x = FeatureMatrix.FromRows([[1.0], [2.0], [3.0], [4.0]]);
        var model = new GradientBoostingLearner(new BoostingOptions(Estimators: 1, Loss: BoostingLoss.Quantile(0.5))).Fit(x, [1, 2, 3, 4], default);
        Assert.Equal(2.5, model.InitialEstimate);
        // With weights the start is the lower weighted percentile instead.
        var weighted = new GradientBoostingLearner(new BoostingOptions(Estimators: 1, Loss: BoostingLoss.Quantile(0.5))).Fit(x, [1, 2, 3, 4], [1, 1, 1, 1]);
        Assert.Equal(2, weighted.InitialEstimate);
    }

    [Fact]
    public void SameSeedSameModelAndImportancesSumToOne()
    {
        var a = new GradientBoostingLearner(new BoostingOptions(Estimators: 30, Seed: 3)).Fit(Train.X, Train.Y, default);
        var b = new GradientBoostingLearner(new BoostingOptions(Estimators: 30, Seed: 3)).Fit(Train.X, Train.Y, default);
        Assert.Equal(a.Predict(Train.X), b.Predict(Train.X));
        Assert.Equal(1, a.FeatureImportances.Sum(), 12);
        Assert.Equal(0, Enumerable.Range(0, 4).MaxBy(f => a.FeatureImportances[f]));
    }

    [Fact]
    public void CancellationStopsAFit()
    {
        using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new GradientBoostingLearner(new BoostingOptions(Estimators: 10_000_000)).Fit(Train.X, Train.Y, default, soon.Token));
    }

    [Fact]
    public void OptionsAreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradientBoostingLearner(new BoostingOptions(Estimators: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradientBoostingLearner(new BoostingOptions(LearningRate: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => BoostingLoss.Quantile(1));
    }
}
