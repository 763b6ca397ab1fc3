using System.Globalization;
using SidsModels.Common;

namespace SidsFunctions.Tests.Models.Statistics;

/// <summary>Element-wise comparisons with an absolute tolerance, NaN equal only to NaN, failures naming the cell.</summary>
internal static class MatrixAssert
{
    public static void Equal(double[][] expected, FeatureMatrix actual, double tolerance, string what)
    {
        Assert.True(expected.Length == actual.Rows, $"{what}: expected {expected.Length} rows, got {actual.Rows}.");
        for (var r = 0; r < expected.Length; r++)
        {
            Assert.True(expected[r].Length == actual.Columns, $"{what}: expected {expected[r].Length} columns, got {actual.Columns}.");
            for (var c = 0; c < expected[r].Length; c++)
            {
                Close(expected[r][c], actual[r, c], tolerance, $"{what}[{r},{c}]");
            }
        }
    }

    public static void Equal(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double tolerance, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}.");
        for (var i = 0; i < expected.Length; i++)
        {
            Close(expected[i], actual[i], tolerance, $"{what}[{i}]");
        }
    }

    public static void Close(double expected, double actual, double tolerance, string what)
    {
        var ok = double.IsNaN(expected) ? double.IsNaN(actual) : Math.Abs(expected - actual) <= tolerance;
        Assert.True(ok, string.Create(CultureInfo.InvariantCulture, $"{what}: expected {expected:R}, got {actual:R} (tolerance {tolerance:R})."));
    }

    public static FeatureMatrix Matrix(params double[][] rows) => FeatureMatrix.FromRows(rows);
}
