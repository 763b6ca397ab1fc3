using SidsModels.Statistics;

namespace SidsFunctions.Tests.Models.Statistics;

/// <summary><see cref="NanEuclidean"/> against scikit-learn's <c>nan_euclidean_distances</c>.</summary>
public sealed class NanEuclideanTests
{
    private const double NaN = double.NaN;

    [Fact]
    public void ScalesTheSumOverSharedCoordinatesToAllCoordinates()
    {
        // scikit-learn: nan_euclidean_distances([[0, 1], [1, nan]]) off-diagonal = √2; the second shares
        // coordinates 0, 3 and 5 (differences 1, 3, 0) out of 6: √(6/3 · 10) = √20.
        Assert.Equal(Math.Sqrt(2), NanEuclidean.Distance([0.0, 1], [1.0, NaN]), 15);
        Assert.Equal(Math.Sqrt(20), NanEuclidean.Distance([1.0, NaN, 3, 4, NaN, 6], [2.0, 2, NaN, 1, 5, 6]), 14);
    }

    [Fact]
    public void NoSharedCoordinateIsUndefined()
    {
        Assert.True(double.IsNaN(NanEuclidean.Distance([1.0, NaN, 3, NaN, 5], [NaN, 2, NaN, 4, NaN])));
    }

    [Fact]
    public void TheVectorLanesAgreeWithTheDefinition()
    {
        var rng = new SidsModels.Common.Rng(3);
        for (var length = 1; length <= 19; length++)
        {
            var a = new double[length];
            var b = new double[length];
            var sum = 0.0;
            var shared = 0;
            for (var j = 0; j < length; j++)
            {
                a[j] = rng.NextDouble() < 0.2 ? NaN : rng.NextDouble(-5, 5);
                b[j] = rng.NextDouble() < 0.2 ? NaN : rng.NextDouble(-5, 5);
                if (!double.IsNaN(a[j]) && !double.IsNaN(b[j]))
                {
                    sum += (a[j] - b[j]) * (a[j] - b[j]);
                    shared++;
                }
            }
            var expected = shared == 0 ? NaN : Math.Sqrt(sum / shared * length);
            MatrixAssert.Close(expected, NanEuclidean.Distance(a, b), 1e-12, $"length {length}");
        }
    }
}
