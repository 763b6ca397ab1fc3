using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SidsModels.Statistics;

/// <summary>
/// scikit-learn's <c>nan_euclidean_distances</c> between two rows: the Euclidean distance over the
/// coordinates present (non-NaN) in both, scaled up to all coordinates —
/// √(n / m · Σ (a_j − b_j)²) for n coordinates of which m are present in both; NaN when m = 0.
/// </summary>
/// <remarks>
/// scikit-learn forms the sum as ‖a‖² − 2a·b + ‖b‖² (matrix products); this sums the squared differences
/// directly, which is at least as accurate, so the two differ only in the last bits. The sum runs in eight
/// fixed lanes (two Vector256 accumulators, hardware-accelerated where available), so the result is the
/// same double on every machine.
/// </remarks>
public static class NanEuclidean
{
    public static double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"The rows differ in length ({a.Length} and {b.Length}).", nameof(b));
        }
        var (sum, present) = SumOfSquaredDifferences(a, b);
        return present == 0 ? double.NaN : Math.Sqrt(sum / present * a.Length);
    }

    /// <summary>Σ (a_j − b_j)² over the coordinates present in both, and how many there are.</summary>
    internal static (double Sum, double Present) SumOfSquaredDifferences(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        // Two independent accumulators (eight fixed lanes) so consecutive additions do not wait on each other.
        var sums0 = Vector256<double>.Zero;
        var sums1 = Vector256<double>.Zero;
        var counts0 = Vector256<double>.Zero;
        var counts1 = Vector256<double>.Zero;
        var one = Vector256.Create(1.0);
        ref var left = ref MemoryMarshal.GetReference(a);
        ref var right = ref MemoryMarshal.GetReference(b);
        var width = (nuint)Vector256<double>.Count;
        var length = (nuint)a.Length;
        nuint j = 0;
        for (; j + 2 * width <= length; j += 2 * width)
        {
            var d0 = Vector256.LoadUnsafe(ref left, j) - Vector256.LoadUnsafe(ref right, j);
            var d1 = Vector256.LoadUnsafe(ref left, j + width) - Vector256.LoadUnsafe(ref right, j + width);
            // NaN − anything is NaN, and only NaN differs from itself: the mask of coordinates present in both.
            var present0 = Vector256.Equals(d0, d0);
            var present1 = Vector256.Equals(d1, d1);
            sums0 += (d0 * d0) & present0;
            sums1 += (d1 * d1) & present1;
            counts0 += one & present0;
            counts1 += one & present1;
        }
        var sums = sums0 + sums1;
        var counts = counts0 + counts1;
        var sum = (sums.GetElement(0) + sums.GetElement(1)) + (sums.GetElement(2) + sums.GetElement(3));
        var count = (counts.GetElement(0) + counts.GetElement(1)) + (counts.GetElement(2) + counts.GetElement(3));
        for (var k = (int)j; k < a.Length; k++)
        {
            var difference = a[k] - b[k];
            if (!double.IsNaN(difference))
            {
                sum += difference * difference;
                count++;
            }
        }
        return (sum, count);
    }
}
