using System.Runtime.Intrinsics;

namespace SidsModels.Statistics;

/// <summary>
/// scikit-learn's <c>nan_euclidean_distances</c> between two rows: the Euclidean distance over the
/// coordinates present (non-NaN) in both, scaled up to all coordinates —
/// √(n / m · Σ (a_j − b_j)²) for n coordinates of which m are present in both; NaN when m = 0.
/// </summary>
/// <remarks>
/// scikit-learn forms the sum as ‖a‖² − 2a·b + ‖b‖² (matrix products); this sums the squared differences
/// directly, which is at least as accurate, so the two differ only in the last bits. The sum runs in four
/// fixed lanes (Vector256, hardware-accelerated where available), so the result is the same double on
/// every machine.
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
        var sums = Vector256<double>.Zero;
        var counts = Vector256<double>.Zero;
        var one = Vector256.Create(1.0);
        var j = 0;
        for (; j <= a.Length - Vector256<double>.Count; j += Vector256<double>.Count)
        {
            var difference = Vector256.Create(a.Slice(j, Vector256<double>.Count)) - Vector256.Create(b.Slice(j, Vector256<double>.Count));
            // NaN − anything is NaN, and only NaN differs from itself: the mask of coordinates present in both.
            var present = Vector256.Equals(difference, difference);
            sums += (difference * difference) & present;
            counts += one & present;
        }
        var sum = (sums.GetElement(0) + sums.GetElement(1)) + (sums.GetElement(2) + sums.GetElement(3));
        var count = (counts.GetElement(0) + counts.GetElement(1)) + (counts.GetElement(2) + counts.GetElement(3));
        for (; j < a.Length; j++)
        {
            var difference = a[j] - b[j];
            if (!double.IsNaN(difference))
            {
                sum += difference * difference;
                count++;
            }
        }
        return (sum, count);
    }
}
