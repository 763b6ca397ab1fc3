using SidsModels.Common;
using SidsModels.Statistics;

namespace SidsModels.Imputation;

/// <summary>
/// A fitted mean imputation, as scikit-learn 1.2.1's <c>SimpleImputer(strategy="mean")</c> with its
/// default <c>keep_empty_features=False</c>: each column's NaN are replaced by the mean of that column's
/// non-NaN fitting values.
/// </summary>
/// <remarks>
/// A column that is all NaN when fitting has no mean; like scikit-learn, the transforms drop it, so the
/// output has <see cref="KeptColumns"/>.Count columns — the input columns listed there, in order.
/// Observed values pass through unchanged.
/// </remarks>
public sealed class MeanImputer : IFittedImputer
{
    private readonly double[] means;
    private readonly int[] kept;

    private MeanImputer(double[] means, int[] kept)
    {
        this.means = means;
        this.kept = kept;
        Means = Array.AsReadOnly(means);
        KeptColumns = Array.AsReadOnly(kept);
    }

    /// <summary>Learns each column's mean over its non-NaN values (at least one row).</summary>
    public static MeanImputer Fit(FeatureMatrix x)
    {
        MatrixChecks.RequireRows(x, nameof(x));
        MatrixChecks.RequireFiniteOrNaN(x, nameof(x));
        var means = NanColumns.Means(x);
        var kept = new List<int>(means.Length);
        for (var c = 0; c < means.Length; c++)
        {
            if (!double.IsNaN(means[c]))
            {
                kept.Add(c);
            }
        }
        return new MeanImputer(means, kept.ToArray());
    }

    /// <summary>The number of input columns.</summary>
    public int Columns => means.Length;

    /// <summary>Each input column's fitted mean; NaN for a column that was all NaN (and is dropped).</summary>
    public IReadOnlyList<double> Means { get; }

    /// <summary>The input columns present in the output, ascending: those with at least one fitted value.</summary>
    public IReadOnlyList<int> KeptColumns { get; }

    FeatureMatrix IFittedImputer.Transform(FeatureMatrix x, CancellationToken cancellationToken) => Transform(x);

    /// <summary>The kept columns of <paramref name="x"/>, NaN replaced by the fitted means; a new matrix.</summary>
    public FeatureMatrix Transform(FeatureMatrix x)
    {
        MatrixChecks.RequireColumns(x, Columns, nameof(x));
        MatrixChecks.RequireFiniteOrNaN(x, nameof(x));
        var result = x.SelectColumns(kept);
        for (var r = 0; r < result.Rows; r++)
        {
            var row = result.RowSpan(r);
            for (var i = 0; i < row.Length; i++)
            {
                if (double.IsNaN(row[i]))
                {
                    row[i] = means[kept[i]];
                }
            }
        }
        return result;
    }
}
