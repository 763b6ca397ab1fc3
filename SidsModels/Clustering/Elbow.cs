namespace SidsModels.Clustering;

/// <summary>Choosing the number of clusters from a cost curve (costs at k = 1, 2, …).</summary>
public static class Elbow
{
    /// <summary>
    /// Kneedle (Satopää et al. 2011) on a decreasing curve: k and the costs are scaled to [0, 1], and the
    /// answer is the k whose point lies farthest below the chord joining the first and the last point (for a
    /// decreasing curve that chord is x + y = 1, so the distance is proportional to 1 − x − y). Ties go to the
    /// smaller k. For costs 1000, 476, 260, 45, 42, 38 this is k = 4, where the cost stops falling steeply;
    /// the "largest second difference" rule the Python backend used says k = 2 there, because it only looks at
    /// the first bend. When no point lies below the chord (a straight or bulging curve: no elbow) the answer
    /// is 2 when the curve has a second point, as the smallest clustering that splits anything; a single cost,
    /// or a curve whose last cost is not below its first, gives 1.
    /// </summary>
    /// <returns>The chosen k (1-based).</returns>
    public static int Kneedle(IReadOnlyList<double> costs)
    {
        ArgumentNullException.ThrowIfNull(costs);
        if (costs.Count == 0)
        {
            throw new ArgumentException("At least one cost is needed.", nameof(costs));
        }
        foreach (var cost in costs)
        {
            if (!double.IsFinite(cost))
            {
                throw new ArgumentException("Costs must be finite numbers.", nameof(costs));
            }
        }
        var last = costs.Count - 1;
        var range = costs[0] - costs[last];
        if (last == 0 || !(range > 0))
        {
            return 1;
        }
        var best = 1; // k = 2 unless a point lies below the chord
        var bestGap = 0.0;
        for (var i = 1; i < last; i++)
        {
            var x = (double)i / last;
            var y = (costs[i] - costs[last]) / range;
            var gap = 1 - x - y;
            if (gap > bestGap)
            {
                bestGap = gap;
                best = i;
            }
        }
        return best + 1;
    }
}
