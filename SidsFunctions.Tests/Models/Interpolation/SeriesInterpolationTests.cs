using SidsModels.Common;
using SidsModels.Interpolation;

namespace SidsFunctions.Tests.Models.Interpolation;

/// <summary>
/// The edges of <see cref="SeriesInterpolation"/> the reference file does not cover. Which inputs pandas
/// 1.5.3 / scipy 1.10 refuse was found by running <c>Series(values, index=years).interpolate(method,
/// order=d, limit_direction="both")</c> with 1..8 observed values and one missing value for every method.
/// </summary>
public sealed class SeriesInterpolationTests
{
    private static readonly double N = double.NaN;

    private static double[] Years(int count) => Enumerable.Range(2000, count).Select(y => (double)y).ToArray();

    // A series with `observed` values and one missing value in second place, as in the pandas run.
    private static double[] WithObserved(int observed)
    {
        var values = Enumerable.Range(0, observed + 1).Select(i => 10.0 + i * i).ToArray();
        values[1] = N;
        return values;
    }

    [Theory]
    [InlineData(InterpolationMethod.Slinear, null, 2)]
    [InlineData(InterpolationMethod.Quadratic, null, 3)]
    [InlineData(InterpolationMethod.Cubic, null, 4)]
    [InlineData(InterpolationMethod.Spline, 1, 2)]
    [InlineData(InterpolationMethod.Spline, 3, 4)]
    [InlineData(InterpolationMethod.Spline, 5, 6)]
    [InlineData(InterpolationMethod.Polynomial, 1, 2)]
    [InlineData(InterpolationMethod.Polynomial, 2, 3)]
    [InlineData(InterpolationMethod.Polynomial, 3, 4)]
    [InlineData(InterpolationMethod.Polynomial, 5, 6)]
    [InlineData(InterpolationMethod.PiecewisePolynomial, null, 2)]
    [InlineData(InterpolationMethod.Pchip, null, 2)]
    [InlineData(InterpolationMethod.Akima, null, 2)]
    [InlineData(InterpolationMethod.CubicSpline, null, 2)]
    public void FewerObservedValuesThanTheMethodNeedsAreRefusedAsPandasRefuses(InterpolationMethod method, int? order, int needed)
    {
        var settings = new InterpolationSettings(method, LimitDirection.Both, order);
        var error = Assert.Throws<InvalidInputException>(() =>
            SeriesInterpolation.Interpolate(Years(needed), WithObserved(needed - 1), settings));
        Assert.Contains($"at least {needed} observed values", error.Message, StringComparison.Ordinal);
        var filled = SeriesInterpolation.Interpolate(Years(needed + 1), WithObserved(needed), settings);
        Assert.Equal(needed + 1, filled.Length);
    }

    [Theory]
    [InlineData(InterpolationMethod.Linear)]
    [InlineData(InterpolationMethod.Nearest)]
    [InlineData(InterpolationMethod.Zero)]
    public void OneObservedValueIsEnoughForLinearNearestAndZero(InterpolationMethod method)
    {
        var filled = SeriesInterpolation.Interpolate(Years(3), [N, 7, N], new InterpolationSettings(method));
        // linear repeats the value; nearest and zero reach nothing outside the one observed year.
        Assert.Equal(method == InterpolationMethod.Linear ? [7.0, 7, 7] : [N, 7, N], filled);
    }

    [Theory]
    [InlineData(InterpolationMethod.Polynomial, 4)]
    [InlineData(InterpolationMethod.Polynomial, -1)]
    [InlineData(InterpolationMethod.Spline, 0)]
    [InlineData(InterpolationMethod.Spline, 6)]
    public void OrdersPandasRefusesAreRefusedWhateverTheSeries(InterpolationMethod method, int order)
    {
        var settings = new InterpolationSettings(method, LimitDirection.Both, order);
        var error = Assert.Throws<InvalidInputException>(() => SeriesInterpolation.Interpolate(Years(12), WithObserved(11), settings));
        Assert.Equal("d", error.Field);
    }

    [Fact]
    public void SplineAndPolynomialNeedAnOrder()
    {
        Assert.Equal("d", Assert.Throws<InvalidInputException>(() => new InterpolationSettings(InterpolationMethod.Spline)).Field);
        Assert.Equal("d", Assert.Throws<InvalidInputException>(() => new InterpolationSettings(InterpolationMethod.Polynomial)).Field);
        Assert.Null(new InterpolationSettings(InterpolationMethod.Pchip, LimitDirection.Both, 3).Order);
    }

    [Fact]
    public void NothingMissingOrNothingObservedComesBackUnchangedEvenForARefusedOrder()
    {
        // pandas returns before building anything, so it raises nothing here.
        var settings = new InterpolationSettings(InterpolationMethod.Polynomial, LimitDirection.Both, 4);
        Assert.Equal([1.0, 2, 3], SeriesInterpolation.Interpolate(Years(3), [1, 2, 3], settings));
        Assert.All(SeriesInterpolation.Interpolate(Years(3), [N, N, N], settings), v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void LinearCountsPositionsNotYears()
    {
        double[] years = [2000, 2001, 2010];
        Assert.Equal([0.0, 5, 10], SeriesInterpolation.Interpolate(years, [0, N, 10], new InterpolationSettings(InterpolationMethod.Linear)));
        // The other methods use the years: 2001 is a tenth of the way.
        Assert.Equal(1, SeriesInterpolation.Interpolate(years, [0, N, 10], new InterpolationSettings(InterpolationMethod.Slinear))[1], 12);
    }

    [Fact]
    public void DirectionsKeepTheLeadingOrTrailingGap()
    {
        double[] values = [N, 1, N, 3, N];
        var years = Years(5);
        Assert.Equal([N, 1, 2, 3, 3], SeriesInterpolation.Interpolate(years, values, new InterpolationSettings(InterpolationMethod.Linear, LimitDirection.Forward)));
        Assert.Equal([1.0, 1, 2, 3, N], SeriesInterpolation.Interpolate(years, values, new InterpolationSettings(InterpolationMethod.Linear, LimitDirection.Backward)));
        Assert.Equal([1.0, 1, 2, 3, 3], SeriesInterpolation.Interpolate(years, values, new InterpolationSettings(InterpolationMethod.Linear, LimitDirection.Both)));
    }

    [Fact]
    public void NearestTakesTheEarlierYearOnATie()
    {
        var filled = SeriesInterpolation.Interpolate(Years(3), [1, N, 5], new InterpolationSettings(InterpolationMethod.Nearest));
        Assert.Equal([1.0, 1, 5], filled);
    }

    [Fact]
    public void AkimaThroughTwoPointsIsTheStraightLine()
    {
        // scipy reads uninitialised memory here; the documented choice is the line through the two points.
        var filled = SeriesInterpolation.Interpolate(Years(5), [2, N, N, N, 10], new InterpolationSettings(InterpolationMethod.Akima));
        Assert.Equal([2.0, 4, 6, 8, 10], filled);
    }

    [Fact]
    public void TheResultMayBeTheValuesThemselves()
    {
        double[] values = [0, N, 4];
        SeriesInterpolation.Interpolate(Years(3), values, new InterpolationSettings(InterpolationMethod.Linear), values);
        Assert.Equal([0.0, 2, 4], values);
    }

    [Fact]
    public void InfiniteValuesAndUnorderedYearsAreRefused()
    {
        var settings = new InterpolationSettings(InterpolationMethod.Linear);
        Assert.Equal("values", Assert.Throws<InvalidInputException>(() =>
            SeriesInterpolation.Interpolate(Years(3), [1, N, double.PositiveInfinity], settings)).Field);
        Assert.Equal("years", Assert.Throws<InvalidInputException>(() =>
            SeriesInterpolation.Interpolate([2000, 2002, 2001], [1, N, 3], settings)).Field);
    }
}
