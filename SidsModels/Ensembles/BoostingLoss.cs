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
