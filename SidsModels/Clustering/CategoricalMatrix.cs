namespace SidsModels.Clustering;

/// <summary>
/// Categorical data coded as integers: rows are samples, columns attributes, and each column's categories
/// are numbered 0, 1, … in ordinal order of their text (as numpy.unique orders them in the kmodes package,
/// which decides which of two equally frequent categories becomes a mode). Row-major, immutable. There is no
/// missing value: callers give missing answers a category of their own (the survey model uses "unknown").
/// </summary>
public sealed class CategoricalMatrix
{
    private readonly int[] codes;
    private readonly string[][] categories;

    private CategoricalMatrix(int rows, int columns, int[] codes, string[][] categories)
    {
        Rows = rows;
        Columns = columns;
        this.codes = codes;
        this.categories = categories;
    }

    public int Rows { get; }

    public int Columns { get; }

    public ReadOnlySpan<int> Row(int row) => codes.AsSpan(row * Columns, Columns);

    public int this[int row, int column] => codes[row * Columns + column];

    /// <summary>How many categories a column has.</summary>
    public int Levels(int column) => categories[column].Length;

    /// <summary>The text of a category code.</summary>
    public string Category(int column, int code) => categories[column][code];

    /// <summary>The coded values, row-major (rows × columns).</summary>
    public ReadOnlySpan<int> Codes => codes;

    /// <summary>Codes the given columns (each one text per row, all of the same length; no null).</summary>
    public static CategoricalMatrix FromColumns(IReadOnlyList<IReadOnlyList<string>> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var m = columns.Count;
        var n = m == 0 ? 0 : columns[0].Count;
        var codes = new int[n * m];
        var categories = new string[m][];
        for (var a = 0; a < m; a++)
        {
            var column = columns[a];
            if (column.Count != n)
            {
                throw new ArgumentException($"Column {a} has {column.Count} values, expected {n}.", nameof(columns));
            }
            var distinct = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < n; i++)
            {
                distinct.Add(column[i] ?? throw new ArgumentException($"Column {a} row {i} is null: give missing values a category.", nameof(columns)));
            }
            var sorted = distinct.ToArray();
            Array.Sort(sorted, StringComparer.Ordinal);
            var index = new Dictionary<string, int>(sorted.Length, StringComparer.Ordinal);
            for (var c = 0; c < sorted.Length; c++)
            {
                index[sorted[c]] = c;
            }
            for (var i = 0; i < n; i++)
            {
                codes[i * m + a] = index[column[i]];
            }
            categories[a] = sorted;
        }
        return new CategoricalMatrix(n, m, codes, categories);
    }

    /// <summary>A new matrix holding the given rows, in the given order (categories keep their codes).</summary>
    public CategoricalMatrix SelectRows(ReadOnlySpan<int> rows)
    {
        var result = new int[rows.Length * Columns];
        for (var i = 0; i < rows.Length; i++)
        {
            Row(rows[i]).CopyTo(result.AsSpan(i * Columns, Columns));
        }
        return new CategoricalMatrix(rows.Length, Columns, result, categories);
    }
}
