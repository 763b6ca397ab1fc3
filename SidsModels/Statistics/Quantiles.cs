namespace SidsModels.Statistics;

/// <summary>
/// numpy's default quantile (<c>method="linear"</c>, Hyndman–Fan type 7): the value at virtual index
/// (n − 1)·q of the sorted values, interpolated between its two neighbours with numpy's own two-sided
/// lerp so that results agree with numpy to the last bit or two.
/// </summary>
/// <remarks>
/// NaN: <see cref="Linear(ReadOnlySpan{double}, double)"/> returns NaN when any value is NaN, as
/// <c>numpy.quantile</c> does; <see cref="LinearIgnoringNaN(ReadOnlySpan{double}, double)"/> drops NaN
/// first, as <c>numpy.nanquantile</c> and pandas' <c>quantile</c> do. Empty input (or nothing left after
/// dropping NaN) gives NaN. q must lie in [0, 1].
/// </remarks>
public static class Quantiles
{
    public static double Linear(ReadOnlySpan<double> values, double q) => Linear(values, [q])[0];

    public static double[] Linear(ReadOnlySpan<double> values, ReadOnlySpan<double> q)
    {
        CheckProbabilities(q);
        if (values.IsEmpty || HasNaN(values))
        {
            // numpy propagates a NaN (and has no answer for no values).
            return Filled(q.Length, double.NaN);
        }
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return AtSorted(sorted, q);
    }

    public static double LinearIgnoringNaN(ReadOnlySpan<double> values, double q) => LinearIgnoringNaN(values, [q])[0];

    public static double[] LinearIgnoringNaN(ReadOnlySpan<double> values, ReadOnlySpan<double> q)
    {
        CheckProbabilities(q);
        var kept = new double[values.Length];
        var count = 0;
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                kept[count++] = v;
            }
        }
        if (count == 0)
        {
            return Filled(q.Length, double.NaN);
        }
        Array.Sort(kept, 0, count);
        return AtSorted(kept.AsSpan(0, count), q);
    }

    /// <summary>Quantiles of values already sorted ascending, without NaN (trusted, not checked).</summary>
    public static double[] LinearSorted(ReadOnlySpan<double> sorted, ReadOnlySpan<double> q)
    {
        CheckProbabilities(q);
        return sorted.IsEmpty ? Filled(q.Length, double.NaN) : AtSorted(sorted, q);
    }

    private static double[] AtSorted(ReadOnlySpan<double> sorted, ReadOnlySpan<double> q)
    {
        var n = sorted.Length;
        var result = new double[q.Length];
        for (var i = 0; i < q.Length; i++)
        {
            var virtualIndex = (n - 1) * q[i];
            var previous = Math.Floor(virtualIndex);
            if (virtualIndex >= n - 1)
            {
                // numpy points both neighbours at the last value; its lerp of equal ends returns that value.
                result[i] = sorted[n - 1];
                continue;
            }
            var lower = sorted[(int)previous];
            var upper = sorted[(int)previous + 1];
            result[i] = Lerp(lower, upper, virtualIndex - previous);
        }
        return result;
    }

    // numpy's _lerp: from the nearer end, so that t = 1 gives b exactly and the result is monotone in t.
    private static double Lerp(double a, double b, double t)
    {
        var difference = b - a;
        return t >= 0.5 ? b - difference * (1 - t) : a + difference * t;
    }

    private static bool HasNaN(ReadOnlySpan<double> values)
    {
        foreach (var v in values)
        {
            if (double.IsNaN(v))
            {
                return true;
            }
        }
        return false;
    }

    private static void CheckProbabilities(ReadOnlySpan<double> q)
    {
        foreach (var p in q)
        {
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(q), p, "Quantile probabilities must lie in [0, 1].");
            }
        }
    }

    private static double[] Filled(int length, double value)
    {
        var result = new double[length];
        Array.Fill(result, value);
        return result;
    }
}
