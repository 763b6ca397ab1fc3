using SidsModels.Common;

namespace SidsModels.Statistics;

/// <summary>
/// A fitted min–max scaling to [0, 1], as scikit-learn 1.2.1's <c>MinMaxScaler()</c>: per column,
/// scale = 1 / (max − min) and offset = −min · scale, learned from the fitting rows; transform is
/// x · scale + offset, inverse is (x − offset) / scale — the same operations as scikit-learn, so the
/// two agree to the last bit.
/// </summary>
/// <remarks>
/// NaN: ignored when fitting (nanmin / nanmax) and kept as NaN by both transforms. A constant column
/// (range below 10 machine epsilons) gets range 1, so it maps to 0. A column that is all NaN when
/// fitting has NaN scale and offset, so every value of it becomes NaN, as in scikit-learn. Values
/// outside the fitted range map outside [0, 1] (no clipping). Infinities are rejected.
/// </remarks>
public sealed class MinMaxScaler
{
    // numpy's finfo(float64).eps: the gap between 1 and the next double.
    internal const double MachineEpsilon = 2.220446049250313e-16;

    private readonly double[] scale;
    private readonly double[] offset;

    private MinMaxScaler(double[] minimum, double[] maximum, double[] scale, double[] offset)
    {
        Minimum = Array.AsReadOnly(minimum);
        Maximum = Array.AsReadOnly(maximum);
        this.scale = scale;
        this.offset = offset;
    }

    /// <summary>Learns each column's minimum and maximum over its non-NaN values (at least one row).</summary>
    public static MinMaxScaler Fit(FeatureMatrix x)
    {
        MatrixChecks.RequireRows(x, nameof(x));
        MatrixChecks.RequireFiniteOrNaN(x, nameof(x));
        var columns = x.Columns;
        var minimum = new double[columns];
        var maximum = new double[columns];
        Array.Fill(minimum, double.NaN);
        Array.Fill(maximum, double.NaN);
        for (var r = 0; r < x.Rows; r++)
        {
            var row = x.Row(r);
            for (var c = 0; c < columns; c++)
            {
                var v = row[c];
                if (double.IsNaN(v))
                {
                    continue;
                }
                if (!(v >= minimum[c]))
                {
                    minimum[c] = v;
                }
                if (!(v <= maximum[c]))
                {
                    maximum[c] = v;
                }
            }
        }
        var scale = new double[columns];
        var offset = new double[columns];
        for (var c = 0; c < columns; c++)
        {
            var range = maximum[c] - minimum[c];
            // scikit-learn's _handle_zeros_in_scale: a near-zero range counts as 1 (NaN stays NaN).
            if (range < 10 * MachineEpsilon)
            {
                range = 1.0;
            }
            scale[c] = 1.0 / range;
            offset[c] = 0.0 - minimum[c] * scale[c];
        }
        return new MinMaxScaler(minimum, maximum, scale, offset);
    }

    public int Columns => scale.Length;

    /// <summary>Each column's smallest fitted value (NaN for an all-NaN column).</summary>
    public IReadOnlyList<double> Minimum { get; }

    /// <summary>Each column's largest fitted value (NaN for an all-NaN column).</summary>
    public IReadOnlyList<double> Maximum { get; }

    /// <summary>Scaled to [0, 1] over the fitted range; a new matrix.</summary>
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
                row[c] = row[c] * scale[c] + offset[c];
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
                row[c] = (row[c] - offset[c]) / scale[c];
            }
        }
        return result;
    }

    /// <summary>
    /// The same scaling restricted to some columns, in the given order: e.g. to invert the output of an
    /// imputer that dropped columns all-NaN when fitted.
    /// </summary>
    public MinMaxScaler SelectColumns(ReadOnlySpan<int> columns)
    {
        var minimum = new double[columns.Length];
        var maximum = new double[columns.Length];
        var selectedScale = new double[columns.Length];
        var selectedOffset = new double[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            var c = columns[i];
            ArgumentOutOfRangeException.ThrowIfNegative(c, nameof(columns));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(c, Columns, nameof(columns));
            minimum[i] = Minimum[c];
            maximum[i] = Maximum[c];
            selectedScale[i] = scale[c];
            selectedOffset[i] = offset[c];
        }
        return new MinMaxScaler(minimum, maximum, selectedScale, selectedOffset);
    }
}
