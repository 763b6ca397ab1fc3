using SidsModels.Statistics;

namespace SidsFunctions.Tests.Models.Statistics;

/// <summary>The rules of <see cref="Quantiles"/>; expected values from numpy 1.24 (<c>np.quantile</c>, <c>np.nanquantile</c>).</summary>
public sealed class QuantilesTests
{
    [Fact]
    public void InterpolatesBetweenOrderStatistics()
    {
        // np.quantile([1, 2, 3, 4], [0, .25, .5, .9, 1]) = [1, 1.75, 2.5, 3.7, 4]; input order does not matter.
        Assert.Equal([1, 1.75, 2.5, 3.7, 4], Quantiles.Linear([4.0, 2, 1, 3], [0, 0.25, 0.5, 0.9, 1]), new ToleranceComparer(1e-15));
    }

    [Fact]
    public void ANaNValueMakesEveryQuantileNaN()
    {
        Assert.True(double.IsNaN(Quantiles.Linear([1.0, double.NaN, 3], 0.5)));
    }

    [Fact]
    public void IgnoringNaNUsesTheOtherValues()
    {
        Assert.Equal(3.0, Quantiles.LinearIgnoringNaN([1.0, double.NaN, 3, 10], 0.5));
        Assert.True(double.IsNaN(Quantiles.LinearIgnoringNaN([double.NaN, double.NaN], 0.5)));
    }

    [Fact]
    public void EmptyInputGivesNaNAndOneValueGivesItself()
    {
        Assert.True(double.IsNaN(Quantiles.Linear([], 0.5)));
        Assert.Equal(7.0, Quantiles.Linear([7.0], 0.05));
    }

    [Fact]
    public void ProbabilitiesOutsideZeroToOneAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantiles.Linear([1.0, 2], 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantiles.Linear([1.0, 2], double.NaN));
    }

    [Fact]
    public void TheInputIsNotReordered()
    {
        double[] values = [3, 1, 2];
        Quantiles.Linear(values, 0.5);
        Assert.Equal([3.0, 1, 2], values);
    }
}

internal sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => double.IsNaN(x) ? double.IsNaN(y) : Math.Abs(x - y) <= tolerance;

    public int GetHashCode(double obj) => 0;
}
