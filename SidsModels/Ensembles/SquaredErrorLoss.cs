using SidsModels.Trees;

namespace SidsModels.Ensembles;

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
