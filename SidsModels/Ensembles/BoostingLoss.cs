using SidsModels.Statistics;
using SidsModels.Trees;

namespace SidsModels.Ensembles;

/// <summary>
/// The loss gradient boosting minimises: where it starts, what each tree fits (the negative gradient),
/// and whether leaves are re-estimated after a tree is grown. Closed set: <see cref="SquaredError"/> and
/// <see cref="Quantile"/>, as scikit-learn's <c>loss="squared_error"</c> and <c>loss="quantile"</c>.
/// </summary>
public abstract record BoostingLoss
{
    private protected BoostingLoss()
    {
    }

    public static BoostingLoss SquaredError { get; } = new SquaredErrorLoss();

    /// <param name="alpha">The quantile, in (0, 1).</param>
    public static BoostingLoss Quantile(double alpha) => new QuantileLoss(alpha);

    /// <summary>The constant the model starts from.</summary>
    /// <param name="weighted">False when the caller gave no weights (scikit-learn then uses unweighted statistics).</param>
    internal abstract double InitialEstimate(ReadOnlySpan<double> y, ReadOnlySpan<double> weights, bool weighted);

    /// <summary>What the next tree fits.</summary>
    internal abstract void NegativeGradient(ReadOnlySpan<double> y, ReadOnlySpan<double> raw, Span<double> residual);

    /// <summary>True when leaves take <see cref="LeafValue"/> instead of the tree's mean.</summary>
    internal virtual bool ReestimatesLeaves => false;

    /// <summary>A leaf's value from its rows' differences y − current prediction and their weights.</summary>
    internal virtual double LeafValue(ReadOnlySpan<double> differences, ReadOnlySpan<double> weights) =>
        throw new InvalidOperationException($"{GetType().Name} keeps the trees' leaf means.");
}

/// <summary>Least squares: starts at the weighted mean; each tree fits the residuals.</summary>
public sealed record SquaredErrorLoss : BoostingLoss
{
    // np.average, summed as numpy sums (the last bit decides exact ties between later splits).
    internal override double InitialEstimate(ReadOnlySpan<double> y, ReadOnlySpan<double> weights, bool weighted) =>
        NumpySum.WeightedMean(y, weights);

    internal override void NegativeGradient(ReadOnlySpan<double> y, ReadOnlySpan<double> raw, Span<double> residual)
    {
        for (var i = 0; i < y.Length; i++)
        {
            residual[i] = y[i] - raw[i];
        }
    }

    public override string ToString() => "squared_error";
}

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
