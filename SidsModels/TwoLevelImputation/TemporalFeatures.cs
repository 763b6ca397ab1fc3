namespace SidsModels.TwoLevelImputation;

/// <summary>
/// What a country's own series of the target says about its value in the target year, read only from the
/// years at least <c>Gap</c> years away from it (the target year itself is never read).
/// </summary>
/// <param name="Interpolated">Linear interpolation between the nearest usable years before and after the target
/// year; the nearest one's value where only one side has one.</param>
/// <param name="Nearest">The value of the nearest usable year (ties to the earlier).</param>
/// <param name="Local">A Theil–Sen line (median pairwise slope, median intercept) through the up to
/// <see cref="TemporalFeatures.LocalYears"/> usable years nearest the target year (ties to the earlier), at the target
/// year; the value itself with one year.</param>
/// <param name="Distance">Years from the target year to the nearest usable year.</param>
/// <param name="Span">Years between the bracketing years; 0 when the usable years lie on one side only.</param>
/// <param name="Count">Usable observed years.</param>
public sealed record TemporalFeature(double Interpolated, double Nearest, double Local, int Distance, int Span, int Count)
{
    /// <summary>The feature values in the order the residual model sees them.</summary>
    public void Write(Span<double> destination)
    {
        destination[0] = Interpolated;
        destination[1] = Nearest - Interpolated;
        destination[2] = Local - Interpolated;
        destination[3] = Distance;
        destination[4] = Span;
        destination[5] = Count;
    }
}

/// <summary>The temporal features of one series (<see cref="TemporalFeature"/>): static, pure, no allocation beyond the answer.</summary>
public static class TemporalFeatures
{
    /// <summary>How many values <see cref="TemporalFeature.Write"/> writes.</summary>
    public const int Width = 6;

    /// <summary>Years the local line is fitted through.</summary>
    public const int LocalYears = 4;

    /// <summary>Years from <paramref name="year"/> to the nearest other observed year of <paramref name="series"/>, or null when there is none.</summary>
    public static int? NearestObservedDistance(ReadOnlySpan<double> series, int year)
    {
        for (var d = 1; d < series.Length; d++)
        {
            if ((year - d >= 0 && !double.IsNaN(series[year - d])) || (year + d < series.Length && !double.IsNaN(series[year + d])))
            {
                return d;
            }
        }
        return null;
    }

    /// <summary>
    /// The features of <paramref name="series"/> (one value per year, NaN where missing) for the year at index
    /// <paramref name="year"/>, read from the years j with |j − year| ≥ <paramref name="gap"/> (≥ 1) only; null when
    /// no such year is observed.
    /// </summary>
    public static TemporalFeature? Compute(ReadOnlySpan<double> series, int year, int gap)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gap, 1);
        int before = -1, after = -1, count = 0;
        for (var j = 0; j < series.Length; j++)
        {
            if (Math.Abs(j - year) < gap || double.IsNaN(series[j]))
            {
                continue;
            }
            count++;
            if (j < year)
            {
                before = j;
            }
            else if (after < 0)
            {
                after = j;
            }
        }
        if (count == 0)
        {
            return null;
        }
        double interpolated;
        if (before >= 0 && after >= 0)
        {
            var t = (double)(year - before) / (after - before);
            interpolated = series[before] + t * (series[after] - series[before]);
        }
        else
        {
            interpolated = series[before >= 0 ? before : after];
        }
        var nearest = before >= 0 && (after < 0 || year - before <= after - year) ? before : after;
        return new TemporalFeature(interpolated, series[nearest], Local(series, year, gap), Math.Abs(nearest - year),
            before >= 0 && after >= 0 ? after - before : 0, count);
    }

    /// <summary>
    /// The Theil–Sen line through the usable years nearest <paramref name="year"/>, evaluated there. A least-squares
    /// line was tilted by single odd years: Papua New Guinea's 84,385 kt of greenhouse gases in 2002 between 10,360 and
    /// 10,218 put its extrapolated 2000 value near 42,000, and the residual model followed (docs/PERFORMANCE.md).
    /// </summary>
    private static double Local(ReadOnlySpan<double> series, int year, int gap)
    {
        // Walk outwards from the target year, earlier side first at each distance.
        Span<int> chosen = stackalloc int[LocalYears];
        var n = 0;
        for (var d = gap; n < LocalYears && (year - d >= 0 || year + d < series.Length); d++)
        {
            if (year - d >= 0 && !double.IsNaN(series[year - d]))
            {
                chosen[n++] = year - d;
            }
            if (n < LocalYears && year + d < series.Length && !double.IsNaN(series[year + d]))
            {
                chosen[n++] = year + d;
            }
        }
        if (n == 1)
        {
            return series[chosen[0]];
        }
        // Theil–Sen: the median of the pairwise slopes, then the median intercept, so that one outlying year (a
        // country's single odd value) does not tilt the line; through two years it is the line through both.
        Span<double> slopes = stackalloc double[LocalYears * (LocalYears - 1) / 2];
        var pairs = 0;
        for (var a = 0; a < n; a++)
        {
            for (var b = a + 1; b < n; b++)
            {
                slopes[pairs++] = (series[chosen[b]] - series[chosen[a]]) / (chosen[b] - chosen[a]);
            }
        }
        var slope = Median(slopes[..pairs]);
        Span<double> intercepts = stackalloc double[LocalYears];
        for (var i = 0; i < n; i++)
        {
            // x is measured from the target year, so the line's value there is its intercept.
            intercepts[i] = series[chosen[i]] - slope * (chosen[i] - year);
        }
        return Median(intercepts[..n]);
    }

    private static double Median(Span<double> values)
    {
        values.Sort();
        var half = values.Length / 2;
        return values.Length % 2 == 1 ? values[half] : (values[half - 1] + values[half]) / 2;
    }
}
