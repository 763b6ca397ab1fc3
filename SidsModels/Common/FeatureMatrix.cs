namespace SidsModels.Common;

/// <summary>
/// A row-major matrix of doubles: rows are samples (countries, survey answers), columns are features
/// (predictors). One flat array so that a row is a contiguous span; NaN marks a missing value where a
/// caller allows missing values (imputers), and is an error elsewhere (learners expect complete data).
/// </summary>
public sealed class FeatureMatrix
{
    private readonly double[] values;

    /// <summary>Wraps <paramref name="values"/> without copying: the caller gives up the array.</summary>
    public FeatureMatrix(int rows, int columns, double[] values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (values.Length != rows * columns)
        {
            throw new ArgumentException($"Expected {rows}×{columns} = {rows * columns} values, got {values.Length}.", nameof(values));
        }
        Rows = rows;
        Columns = columns;
        this.values = values;
    }

    public FeatureMatrix(int rows, int columns) : this(rows, columns, new double[rows * columns])
    {
    }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>The backing row-major array (rows × columns).</summary>
    public Span<double> Values => values;

    public double this[int row, int column]
    {
        get => values[row * Columns + column];
        set => values[row * Columns + column] = value;
    }

    public ReadOnlySpan<double> Row(int row) => new(values, row * Columns, Columns);

    public Span<double> RowSpan(int row) => new(values, row * Columns, Columns);

    /// <summary>A copy of one column.</summary>
    public double[] Column(int column)
    {
        var result = new double[Rows];
        for (var r = 0; r < Rows; r++)
        {
            result[r] = values[r * Columns + column];
        }
        return result;
    }

    public FeatureMatrix Copy() => new(Rows, Columns, (double[])values.Clone());

    /// <summary>A new matrix holding the given rows, in the given order.</summary>
    public FeatureMatrix SelectRows(ReadOnlySpan<int> rows)
    {
        var result = new double[rows.Length * Columns];
        for (var i = 0; i < rows.Length; i++)
        {
            Row(rows[i]).CopyTo(result.AsSpan(i * Columns, Columns));
        }
        return new FeatureMatrix(rows.Length, Columns, result);
    }

    /// <summary>A new matrix holding the given columns, in the given order.</summary>
    public FeatureMatrix SelectColumns(ReadOnlySpan<int> columns)
    {
        var result = new double[Rows * columns.Length];
        for (var r = 0; r < Rows; r++)
        {
            var source = Row(r);
            var offset = r * columns.Length;
            for (var c = 0; c < columns.Length; c++)
            {
                result[offset + c] = source[columns[c]];
            }
        }
        return new FeatureMatrix(Rows, columns.Length, result);
    }

    /// <summary>Builds a matrix from jagged rows (copied); all rows must have the same length.</summary>
    public static FeatureMatrix FromRows(IReadOnlyList<double[]> rows)
    {
        var columns = rows.Count == 0 ? 0 : rows[0].Length;
        var result = new double[rows.Count * columns];
        for (var r = 0; r < rows.Count; r++)
        {
            if (rows[r].Length != columns)
            {
                throw new ArgumentException($"Row {r} has {rows[r].Length} values, expected {columns}.", nameof(rows));
            }
            rows[r].CopyTo(result, r * columns);
        }
        return new FeatureMatrix(rows.Count, columns, result);
    }

    public double[][] ToRows()
    {
        var result = new double[Rows][];
        for (var r = 0; r < Rows; r++)
        {
            result[r] = Row(r).ToArray();
        }
        return result;
    }

    /// <summary>True when any value is NaN.</summary>
    public bool HasMissing()
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
}
