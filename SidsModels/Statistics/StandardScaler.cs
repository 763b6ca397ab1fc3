using SidsModels.Common;

namespace SidsModels.Statistics;

/// <summary>
/// A fitted column standardisation (z-scores), as scikit-learn 1.2.1's <c>StandardScaler()</c>:
/// z = (x − mean) / std per column, with the mean and the variance of the column's non-NaN values.
/// </summary>
/// <remarks>
/// <para>The standard deviation is the <b>population</b> one (divisor n, ddof = 0), as scikit-learn's
/// <c>StandardScaler</c> and <c>preprocessing.scale</c> (hence the <c>pca</c> package's
/// <c>normalize=True</c>) use: standardised features then have unit mean square, which is what distance-
/// and variance-based methods (k-means, PCA) assume, and a column seen once still has a defined scale.
/// pandas' <c>std()</c> (ddof = 1) would differ by √(n / (n − 1)), a factor that varies between columns
/// once NaN leaves them different counts.</para>
/// <para>NaN: ignored when fitting, kept as NaN by the transforms. The variance is scikit-learn's corrected
/// two-pass sum. A constant column (variance within scikit-learn's rounding bound of zero) gets scale 1,
/// so it maps to 0; an all-NaN column has NaN mean and scale. Infinities are rejected.</para>
/// </remarks>
public sealed class StandardScaler
{
    private readonly double[] mean;
    private readonly double[] scale;

    private StandardScaler(double[] mean, double[] scale)
    {
        this.mean = mean;
        this.scale = scale;
        Mean = Array.AsReadOnly(mean);
        Scale = Array.AsReadOnly(scale);
    }

    public static StandardScaler Fit(FeatureMatrix x)
    {
        MatrixChecks.RequireRows(x, nameof(x));
        MatrixChecks.RequireFiniteOrNaN(x, nameof(x));
        var columns = x.Columns;
        var (sum, count) = NanColumns.Sums(x);
        var mean = new double[columns];
        for (var c = 0; c < columns; c++)
        {
            mean[c] = sum[c] / count[c];
        }
        // Corrected two-pass variance: Σ(x − m)² − (Σ(x − m))² / n, over n.
        var correction = new double[columns];
        var squares = new double[columns];
        for (var r = 0; r < x.Rows; r++)
        {
            var row = x.Row(r);
            for (var c = 0; c < columns; c++)
            {
                if (!double.IsNaN(row[c]))
                {
                    var deviation = row[c] - mean[c];
                    correction[c] += deviation;
                    squares[c] += deviation * deviation;
                }
            }
        }
        var scale = new double[columns];
        for (var c = 0; c < columns; c++)
        {
            var variance = (squares[c] - correction[c] * correction[c] / count[c]) / count[c];
            // scikit-learn's _is_constant_feature: zero up to the rounding of the two-pass sum.
            var eps = MinMaxScaler.MachineEpsilon;
            var bound = count[c] * eps * variance + (count[c] * mean[c] * eps) * (count[c] * mean[c] * eps);
            scale[c] = variance <= bound ? 1.0 : Math.Sqrt(variance);
        }
        return new StandardScaler(mean, scale);
    }

    public int Columns => mean.Length;

    /// <summary>Each column's mean over its non-NaN values (NaN for an all-NaN column).</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Each column's population standard deviation, or 1 for a constant column.</summary>
    public IReadOnlyList<double> Scale { get; }

    /// <summary>The z-scores; a new matrix.</summary>
    public FeatureMatrix Transform(FeatureMatrix x)
    {
        MatrixChecks.RequireColumns(x, Columns, nameof(x));
        MatrixChecks.RequireFiniteOrNaN(x, nameof(x));
        var result = x.Copy();
        for (var r = 0; r < result.Rows; r++)
        {
            var row = result.RowSpan(r);
            for (var c = 0; c < row.Length; c++)
            {
                row[c] = (row[c] - mean[c]) / scale[c];
            }
        }
        return result;
    }

    /// <summary>Back to the original units; a new matrix.</summary>
    public FeatureMatrix InverseTransform(FeatureMatrix x)
    {
        MatrixChecks.RequireColumns(x, Columns, nameof(x));
        var result = x.Copy();
        for (var r = 0; r < result.Rows; r++)
        {
            var row = result.RowSpan(r);
            for (var c = 0; c < row.Length; c++)
            {
                row[c] = row[c] * scale[c] + mean[c];
            }
        }
        return result;
    }
}
