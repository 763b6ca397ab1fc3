using SidsModels.Statistics;

namespace SidsModels.Ensembles;

/// <summary>
/// Pinball loss for the <see cref="Alpha"/> quantile: starts at the (weighted) alpha-percentile of y; each
/// tree fits the sign pattern alpha / −(1 − alpha); each leaf then takes the weighted alpha-percentile of
/// its rows' residuals (scikit-learn's line search).
/// </summary>
public sealed record QuantileLoss : BoostingLoss
{
    public QuantileLoss(double alpha)
    {
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The quantile must be in (0, 1).");
        }
        Alpha = alpha;
    }

    public double Alpha { get; }

    internal override double InitialEstimate(ReadOnlySpan<double> y, ReadOnlySpan<double> weights, bool weighted) =>
        weighted ? WeightedPercentile.Compute(y, weights, Alpha * 100.0) : LinearPercentile(y, Alpha * 100.0);

    internal override void NegativeGradient(ReadOnlySpan<double> y, ReadOnlySpan<double> raw, Span<double> residual)
    {
        var below = -(1 - Alpha);
        for (var i = 0; i < y.Length; i++)
        {
            residual[i] = y[i] > raw[i] ? Alpha : below;
        }
    }

    internal override bool ReestimatesLeaves => true;

    internal override double LeafValue(ReadOnlySpan<double> differences, ReadOnlySpan<double> weights) =>
        WeightedPercentile.Compute(differences, weights, Alpha * 100);

    /// <summary>numpy's default percentile (linear interpolation between the closest ranks).</summary>
    private static double LinearPercentile(ReadOnlySpan<double> values, double percentile)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var index = percentile / 100 * (sorted.Length - 1);
        var below = (int)Math.Floor(index);
        var above = Math.Min(below + 1, sorted.Length - 1);
        var gamma = index - below;
        double a = sorted[below], b = sorted[above];
        var difference = b - a;
        // numpy's _lerp: from the lower end below one half, from the upper end above.
        return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma;
    }

    public override string ToString() => $"quantile({Alpha.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
}
