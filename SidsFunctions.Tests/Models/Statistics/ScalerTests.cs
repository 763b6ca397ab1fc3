using SidsModels.Statistics;

namespace SidsFunctions.Tests.Models.Statistics;

/// <summary>
/// <see cref="MinMaxScaler"/> and <see cref="StandardScaler"/>: NaN, constant and all-NaN columns. Expected
/// values from scikit-learn 1.2.1 on the same matrix (MinMaxScaler().fit(x), StandardScaler().fit(x)).
/// </summary>
public sealed class ScalerTests
{
    private const double NaN = double.NaN;

    // Column 0 has a NaN, column 2 is constant, column 3 is all NaN.
    private static readonly double[][] Rows =
    [
        [1, NaN, 5, NaN],
        [3, 2, 5, NaN],
        [NaN, 6, 5, NaN],
    ];

    [Fact]
    public void MinMaxFitsIgnoringNaNAndKeepsNaN()
    {
        var x = MatrixAssert.Matrix(Rows);

        var scaler = MinMaxScaler.Fit(x);

        MatrixAssert.Equal([[0, NaN, 0, NaN], [1, 0, 0, NaN], [NaN, 1, 0, NaN]], scaler.Transform(x), 0, "train");
        MatrixAssert.Equal([[-0.5, 2, 2, NaN]], scaler.Transform(MatrixAssert.Matrix([0, 10, 7, 1])), 0, "new rows, no clipping");
        Assert.Equal([1.0, 2, 5, NaN], scaler.Minimum);
        Assert.Equal([3.0, 6, 5, NaN], scaler.Maximum);
    }

    [Fact]
    public void MinMaxInverseRestoresTheValues()
    {
        var x = MatrixAssert.Matrix(Rows);
        var scaler = MinMaxScaler.Fit(x);

        MatrixAssert.Equal(Rows, scaler.InverseTransform(scaler.Transform(x)), 1e-15, "round trip");
    }

    [Fact]
    public void MinMaxSelectColumnsScalesThoseColumnsOnly()
    {
        var scaler = MinMaxScaler.Fit(MatrixAssert.Matrix(Rows)).SelectColumns([1, 0]);

        MatrixAssert.Equal([[0.5, 0.5]], scaler.Transform(MatrixAssert.Matrix([4, 2])), 0, "selected");
    }

    [Fact]
    public void StandardScalerUsesThePopulationStandardDeviation()
    {
        var x = MatrixAssert.Matrix(Rows);

        var scaler = StandardScaler.Fit(x);

        // scikit-learn: mean_ = [2, 4, 5, nan], scale_ = [1, 2, 1, nan] (ddof 0; constant column → 1).
        Assert.Equal([2.0, 4, 5, NaN], scaler.Mean);
        Assert.Equal([1.0, 2, 1, NaN], scaler.Scale);
        MatrixAssert.Equal([[-2, 3, 2, NaN]], scaler.Transform(MatrixAssert.Matrix([0, 10, 7, 1])), 0, "z");
        MatrixAssert.Equal(Rows, scaler.InverseTransform(scaler.Transform(x)), 1e-15, "round trip");
    }

    [Fact]
    public void InputsAreNotModifiedAndShapesAreChecked()
    {
        var x = MatrixAssert.Matrix(Rows);
        var scaler = MinMaxScaler.Fit(x);
        scaler.Transform(x);
        StandardScaler.Fit(x).Transform(x);

        MatrixAssert.Equal(Rows, x, 0, "input");
        Assert.Throws<ArgumentException>(() => scaler.Transform(MatrixAssert.Matrix([1, 2])));
        Assert.Throws<ArgumentException>(() => MinMaxScaler.Fit(MatrixAssert.Matrix([1, double.PositiveInfinity])));
        Assert.Throws<ArgumentException>(() => MinMaxScaler.Fit(new SidsModels.Common.FeatureMatrix(0, 2)));
    }
}
