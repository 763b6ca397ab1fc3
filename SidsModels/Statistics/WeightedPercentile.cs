namespace SidsModels.Statistics;

/// <summary>
/// The lower weighted percentile exactly as scikit-learn 1.2.1 computes it
/// (<c>sklearn.utils.stats._weighted_percentile</c>), which gradient boosting uses for its quantile loss:
/// sort the values, accumulate their weights, and return the first value whose cumulative weight reaches
/// <c>percentile / 100 × total weight</c>. No interpolation: the result is always one of the values.
/// For percentile 0 the target is the smallest positive double, so leading zero-weight values are skipped.
/// </summary>
public static class WeightedPercentile
{
    /// <param name="values">The values; must not be empty or hold NaN.</param>
    /// <param name="weights">One non-negative weight per value.</param>
    /// <param name="percentile">In [0, 100].</param>
    public static double Compute(ReadOnlySpan<double> values, ReadOnlySpan<double> weights, double percentile = 50)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("The weighted percentile of no values is undefined.", nameof(values));
        }
        if (weights.Length != values.Length)
        {
            throw new ArgumentException($"Expected {values.Length} weights, got {weights.Length}.", nameof(weights));
        }
        if (!(percentile >= 0 && percentile <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "The percentile must be in [0, 100].");
        }
        var n = values.Length;
        var order = n <= 256 ? stackalloc int[n] : new int[n];
        SortedOrder(values, order);

        var cumulative = n <= 256 ? stackalloc double[n] : new double[n];
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            sum += weights[order[i]];
            cumulative[i] = sum;
        }
        var target = percentile / 100 * cumulative[n - 1];
        if (target == 0)
        {
            target = double.Epsilon;
        }
        // searchsorted(side="left"): the first position whose cumulative weight reaches the target.
        int low = 0, high = n;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (cumulative[mid] < target)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return values[order[Math.Min(low, n - 1)]];
    }

    /// <summary>Positions of <paramref name="values"/> in ascending order, ties by position (stable).</summary>
    private static void SortedOrder(ReadOnlySpan<double> values, Span<int> order)
    {
        for (var i = 0; i < order.Length; i++)
        {
            if (double.IsNaN(values[i]))
            {
                throw new ArgumentException("The weighted percentile is undefined for NaN values.", nameof(values));
            }
            order[i] = i;
        }
        // Insertion sort for the small leaves boosting sees; a (value, position) sort otherwise.
        if (order.Length <= 32)
        {
            for (var i = 1; i < order.Length; i++)
            {
                var item = order[i];
                var value = values[item];
                var j = i - 1;
                while (j >= 0 && values[order[j]] > value)
                {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = item;
            }
            return;
        }
        // Sorting (value, position) pairs keeps ties in position order.
        var pairs = new (double Value, int Position)[values.Length];
        for (var i = 0; i < pairs.Length; i++)
        {
            pairs[i] = (values[i], i);
        }
        Array.Sort(pairs, static (a, b) => a.Value != b.Value ? a.Value.CompareTo(b.Value) : a.Position.CompareTo(b.Position));
        for (var i = 0; i < pairs.Length; i++)
        {
            order[i] = pairs[i].Position;
        }
    }
}
