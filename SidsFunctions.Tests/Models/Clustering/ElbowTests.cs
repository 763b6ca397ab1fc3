using SidsModels.Clustering;
using SidsModels.Common;

namespace SidsFunctions.Tests.Models.Clustering;

public sealed class ElbowTests
{
    [Fact]
    public void KneedleFindsTheElbowWhereTheSecondDifferenceRuleDoesNot()
    {
        double[] costs = [1000, 476, 260, 45, 42, 38];
        Assert.Equal(4, Elbow.Kneedle(costs));

        // The Python backend's rule (the k after the largest second difference) stops at the first bend.
        var second = Enumerable.Range(0, costs.Length - 2).Select(i => costs[i] - 2 * costs[i + 1] + costs[i + 2]).ToArray();
        Assert.Equal(2, Array.IndexOf(second, second.Max()) + 2);
    }

    [Theory]
    [InlineData(new[] { 7.0 }, 1)]
    [InlineData(new[] { 10.0, 4.0 }, 2)]
    [InlineData(new[] { 10.0, 8.0, 6.0, 4.0 }, 2)] // a straight line has no elbow
    [InlineData(new[] { 10.0, 9.5, 9.0, 1.0 }, 2)] // bulging: no point below the chord
    [InlineData(new[] { 5.0, 5.0, 5.0 }, 1)] // more clusters never help
    [InlineData(new[] { 100.0, 20.0, 15.0, 12.0, 10.0 }, 2)]
    [InlineData(new[] { 100.0, 90.0, 80.0, 10.0, 9.0, 8.0, 7.0 }, 4)]
    public void KneedleOnOtherCurves(double[] costs, int expected) => Assert.Equal(expected, Elbow.Kneedle(costs));

    [Fact]
    public void OnLogCostsTheExampleStillGivesFourAndALaterElbowIsSeen()
    {
        Assert.Equal(4, Elbow.KneedleOnLogCosts([1000, 476, 260, 45, 42, 38]));
        // Four planted clusters (a simulated survey): the linear scale stops at the first bend.
        double[] costs = [488.0, 202.3, 40.0, 24.2, 21.6, 18.8, 16.9, 15.5];
        Assert.Equal(3, Elbow.Kneedle(costs));
        Assert.Equal(4, Elbow.KneedleOnLogCosts(costs));
    }

    [Theory]
    [InlineData(new[] { 7.0 }, 1)]
    [InlineData(new[] { 0.0, 0.0 }, 1)] // identical rows: nothing to split
    [InlineData(new[] { 50.0, 20.0, 8.0, 0.0 }, 2)] // a perfect fit at the end stays finite
    [InlineData(new[] { 170.0, 109.0, 80.0, 53.0, 48.0, 24.0, 24.0, 16.0 }, 6)]
    public void KneedleOnLogCostsOnOtherCurves(double[] costs, int expected) => Assert.Equal(expected, Elbow.KneedleOnLogCosts(costs));

    [Fact]
    public void NonFiniteCostsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => Elbow.Kneedle([3.0, double.NaN]));
        Assert.Throws<ArgumentException>(() => Elbow.Kneedle([]));
        Assert.Throws<ArgumentException>(() => Elbow.KneedleOnLogCosts([3.0, -1.0]));
    }

    [Fact]
    public void DistinctRowsCountsNumericAndCategoricalPartsTogether()
    {
        var numeric = FeatureMatrix.FromRows([[1.0], [1.0], [2.0], [1.0]]);
        var categorical = KModesTests.Categories(["a", "a", "a", "b"]);
        Assert.Equal(2, DistinctRows.Count(numeric, null));
        Assert.Equal(2, DistinctRows.Count(null, categorical));
        Assert.Equal(3, DistinctRows.Count(numeric, categorical));
        Assert.Equal(2, DistinctRows.Count(numeric, categorical, limit: 2));
    }
}
