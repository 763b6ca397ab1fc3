using SidsModels.Common;
using SidsModels.Statistics;

namespace SidsModels.Imputation;

/// <param name="Neighbours">How many donors average into each imputed value (scikit-learn's n_neighbors), at least 1.</param>
public sealed record KnnImputerOptions(int Neighbours = 5);

/// <summary>
/// Nearest-neighbour imputation as scikit-learn 1.2.1's <c>KNNImputer(n_neighbors=5)</c> with its defaults
/// (uniform weights, nan-Euclidean distance, <c>keep_empty_features=False</c>).
/// </summary>
/// <remarks>
/// <para>A missing value of column c in a row is the plain mean of column c over that row's
/// <see cref="KnnImputerOptions.Neighbours"/> nearest <i>donors</i>: the fitted rows that have column c.
/// Distance is <see cref="NanEuclidean.Distance"/> over all columns of the two rows, computed once per row
/// before anything in it is imputed.</para>
/// <para>scikit-learn's rules for the corner cases, kept here: with fewer donors than neighbours, all
/// donors are used; donors at an undefined (NaN) distance — no coordinate present in both rows — rank after
/// every defined distance but still count when they are needed to make up the number; when every donor's
/// distance is undefined, the value is column c's mean over the fitted rows. A column that is all NaN when
/// fitting is dropped from the output (<see cref="KnnImputerModel.KeptColumns"/>) but still counts in the
/// distance's n. Ties: equal distances rank by fitted row order, NaN distances likewise (numpy's
/// <c>argpartition</c> breaks such ties by its own internal order, so the donor picked at a tie can differ
/// from scikit-learn's; among distinct distances the donors are the same).</para>
/// <para>Cost: for each row with a missing value, one distance to every fitted row (vectorised) and one
/// sort of those distances, shared by all its missing columns.</para>
/// </remarks>
public sealed class KnnImputer
{
    public KnnImputer(KnnImputerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Neighbours < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Neighbours, "Neighbours must be at least 1.");
        }
        Options = options;
    }

    public KnnImputerOptions Options { get; }

    /// <summary>Keeps a copy of <paramref name="x"/> (at least one row; NaN = missing) as the donors.</summary>
    public KnnImputerModel Fit(FeatureMatrix x)
    {
        MatrixChecks.RequireRows(x, nameof(x));
        MatrixChecks.RequireFiniteOrNaN(x, nameof(x));
        return new KnnImputerModel(Options.Neighbours, x.Copy());
    }
}

/// <summary>A fitted <see cref="KnnImputer"/>: immutable, safe to use from several threads.</summary>
public sealed class KnnImputerModel
{
    private readonly int neighbours;
    private readonly FeatureMatrix donors;
    private readonly double[] columnMeans;
    private readonly int[] kept;

    internal KnnImputerModel(int neighbours, FeatureMatrix donors)
    {
        this.neighbours = neighbours;
        this.donors = donors;
        // The fitted column means are the fallback for rows at no defined distance; the columns they exist
        // for are the ones kept.
        var means = MeanImputer.Fit(donors);
        columnMeans = means.Means.ToArray();
        kept = means.KeptColumns.ToArray();
        KeptColumns = Array.AsReadOnly(kept);
    }

    /// <summary>The number of input columns.</summary>
    public int Columns => donors.Columns;

    /// <summary>The input columns present in the output, ascending: those with at least one fitted value.</summary>
    public IReadOnlyList<int> KeptColumns { get; }

    /// <summary>The kept columns of <paramref name="x"/> with every NaN imputed; a new matrix.</summary>
    public FeatureMatrix Transform(FeatureMatrix x, CancellationToken cancellationToken = default)
    {
        MatrixChecks.RequireColumns(x, Columns, nameof(x));
        MatrixChecks.RequireFiniteOrNaN(x, nameof(x));
        var result = x.SelectColumns(kept);
        var distances = new double[donors.Rows];
        var order = new int[donors.Rows];
        for (var r = 0; r < x.Rows; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = x.Row(r);
            if (!MissesAnyKept(row))
            {
                continue;
            }
            var defined = RankDonors(row, distances, order);
            var output = result.RowSpan(r);
            for (var i = 0; i < kept.Length; i++)
            {
                var c = kept[i];
                if (double.IsNaN(row[c]))
                {
                    output[i] = Impute(c, order, defined);
                }
            }
        }
        return result;
    }

    private bool MissesAnyKept(ReadOnlySpan<double> row)
    {
        foreach (var c in kept)
        {
            if (double.IsNaN(row[c]))
            {
                return true;
            }
        }
        return false;
    }

    // Every fitted row in order of (distance, row), undefined distances last in row order; returns how many
    // distances are defined. One ordering per row serves all its missing columns.
    private int RankDonors(ReadOnlySpan<double> row, double[] distances, int[] order)
    {
        var defined = 0;
        var undefined = donors.Rows;
        for (var d = 0; d < donors.Rows; d++)
        {
            var distance = NanEuclidean.Distance(row, donors.Row(d));
            if (double.IsNaN(distance))
            {
                order[--undefined] = d;
            }
            else
            {
                distances[defined] = distance;
                order[defined++] = d;
            }
        }
        // Undefined ones were filled from the end: restore row order.
        Array.Reverse(order, defined, donors.Rows - defined);
        Array.Sort(distances, order, 0, defined);
        // The sort is not stable: put equal distances back in row order.
        for (var start = 0; start < defined;)
        {
            var end = start + 1;
            while (end < defined && distances[end] == distances[start])
            {
                end++;
            }
            if (end - start > 1)
            {
                Array.Sort(order, start, end - start);
            }
            start = end;
        }
        return defined;
    }

    private double Impute(int column, int[] order, int defined)
    {
        // The first donors of the column in distance order; with no defined distance to any of them, the mean.
        var sum = 0.0;
        var taken = 0;
        for (var i = 0; i < order.Length && taken < neighbours; i++)
        {
            var v = donors[order[i], column];
            if (double.IsNaN(v))
            {
                continue;
            }
            if (taken == 0 && i >= defined)
            {
                return columnMeans[column];
            }
            sum += v;
            taken++;
        }
        return sum / taken;
    }
}
