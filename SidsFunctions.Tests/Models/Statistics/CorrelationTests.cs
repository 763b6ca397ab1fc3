using SidsModels.Statistics;

namespace SidsFunctions.Tests.Models.Statistics;

/// <summary>The rules of <see cref="Correlation"/>: pairwise-complete observations and pandas' undefined cases.</summary>
public sealed class CorrelationTests
{
    private const double NaN = double.NaN;

    [Fact]
    public void UsesOnlyRowsWhereBothValuesArePresent()
    {
        double[] x = [1, 2, NaN, 4, 5, 6];
        double[] y = [2, 1, 7, NaN, 4, 3];
        var complete = Correlation.Pearson([1.0, 2, 5, 6], [2.0, 1, 4, 3]);

        Assert.Equal(complete, Correlation.Pearson(x, y));
    }

    [Fact]
    public void InfinitiesCountAsMissingAsInPandas()
    {
        Assert.Equal(
            Correlation.Pearson([1.0, 2, 3], [3.0, 1, 2]),
            Correlation.Pearson([1.0, 2, 3, double.PositiveInfinity], [3.0, 1, 2, 9]));
    }

    [Fact]
    public void FewerThanTwoPairsOrAConstantSeriesIsUndefined()
    {
        Assert.True(double.IsNaN(Correlation.Pearson([1.0, NaN, 3], [NaN, 2, NaN])));
        Assert.True(double.IsNaN(Correlation.Pearson([1.0, 2], [5.0, NaN])));
        Assert.True(double.IsNaN(Correlation.Pearson([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], [1.0, 2, 3, 4, 5, 6, 8])));
        Assert.Equal(-1.0, Correlation.Pearson([1.0, 2], [5.0, 3]), 15);
    }

    [Fact]
    public void MinPeriodsSetsTheFewestPairs()
    {
        Assert.True(double.IsNaN(Correlation.Pearson([1.0, 2, 3], [1.0, 3, 2], minPeriods: 4)));
        Assert.False(double.IsNaN(Correlation.Pearson([1.0, 2, 3], [1.0, 3, 2], minPeriods: 3)));
    }

    [Fact]
    public void FollowsPandasRunningUpdateRatherThanTwoPasses()
    {
        // pandas 1.5.3: DataFrame({"a": a, "b": b}).corr().iloc[0, 1] = 0.075592866816772 (its Welford
        // update), while np.corrcoef / Series.corr give 0.07559286531487601: the large offset separates them.
        double[] a = [1e8 + 0.1, 1e8 + 0.2, 1e8 + 0.4, 1e8 + 0.3];
        double[] b = [3, 1, 2, 5];

        var matrix = Correlation.Matrix(MatrixAssert.Matrix(a.Zip(b, (p, q) => new[] { p, q }).ToArray()));

        MatrixAssert.Close(0.075592866816772, matrix[0, 1], 1e-15, "matrix");
        MatrixAssert.Close(0.075592866816772, Correlation.Pearson(b, a), 1e-15, "pair, later column first");
    }

    [Fact]
    public void TheMatrixIsSymmetricWithUnitOrUndefinedDiagonal()
    {
        var x = MatrixAssert.Matrix(
            [1, 5, 2, 9],
            [2, 5, NaN, 7],
            [3, 5, 1, 8],
            [4, 5, 4, NaN],
            [6, 5, 3, 1]);

        var corr = Correlation.Matrix(x);

        for (var a = 0; a < 4; a++)
        {
            for (var b = 0; b < 4; b++)
            {
                Assert.Equal(corr[a, b], corr[b, a]);
            }
        }
        Assert.Equal(1.0, corr[0, 0]);
        Assert.True(double.IsNaN(corr[1, 1]), "a constant column has no correlation, not even with itself");
        Assert.True(double.IsNaN(corr[0, 1]));
        Assert.Equal(1.0, corr[2, 2]);
        // The complete-column shortcut and the pairwise update agree to the bit.
        Assert.Equal(Correlation.Pearson(x.Column(2), x.Column(0)), corr[2, 0]);
        Assert.Equal(Correlation.Pearson(x.Column(3), x.Column(2)), corr[3, 2]);
    }

    [Fact]
    public void SeriesOfDifferentLengthsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Correlation.Pearson([1.0, 2], [1.0, 2, 3]));
    }
}
