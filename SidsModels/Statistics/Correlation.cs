using SidsModels.Common;

namespace SidsModels.Statistics;

/// <summary>
/// Pearson correlation over pairwise-complete observations, as pandas 1.5.3's <c>DataFrame.corr()</c>
/// (<c>method="pearson"</c>, <c>min_periods=1</c>) computes it: for each pair of columns, the rows where
/// both values are finite, run through Welford's running update in row order; the result is
/// cov / √(ssx · ssy).
/// </summary>
/// <remarks>
/// Missing values: NaN and ±∞ both count as missing (pandas masks with <c>isfinite</c>). Undefined
/// correlations are NaN: fewer than <c>minPeriods</c> complete pairs, fewer than two pairs, or a column
/// constant over the pairs (zero variance) — including the diagonal of such a column. The update is
/// pandas' step for step (same operations, same order), so values agree to the last bit or two; in
/// pandas the column with the larger index plays "x" in that update, and <see cref="Matrix"/> does the
/// same.
/// </remarks>
public static class Correlation
{
    /// <summary>The correlation of two series over the positions where both are finite.</summary>
    /// <param name="x">Plays pandas' "x": pass the later column here to reproduce a <see cref="Matrix"/> cell bit for bit.</param>
    /// <param name="y">Same length as <paramref name="x"/>.</param>
    /// <param name="minPeriods">Fewest complete pairs for a defined result (pandas' default 1).</param>
    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int minPeriods = 1)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"The series differ in length ({x.Length} and {y.Length}).", nameof(y));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(minPeriods);
        return PairwiseComplete(x, y, Reciprocals(x.Length), minPeriods);
    }

    // 1/nobs for every count, so the running means multiply instead of divide (the same doubles as dividing in place).
    private static double[] Reciprocals(int n)
    {
        var reciprocal = new double[n + 1];
        for (var i = 1; i <= n; i++)
        {
            reciprocal[i] = 1.0 / i;
        }
        return reciprocal;
    }

    /// <summary>The columns × columns correlation matrix of <paramref name="x"/>'s columns (symmetric).</summary>
    public static FeatureMatrix Matrix(FeatureMatrix x, int minPeriods = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minPeriods);
        var n = x.Rows;
        var k = x.Columns;
        var columns = new double[k][];
        var complete = new bool[k];
        for (var c = 0; c < k; c++)
        {
            columns[c] = x.Column(c);
            complete[c] = Array.TrueForAll(columns[c], double.IsFinite);
        }

        var reciprocal = Reciprocals(n);

        // A complete column sees all rows in every pair it joins, so its running mean, its deviations
        // before (E) and after (D) each update and its sum of squares are the same in all those pairs:
        // computed once, a complete pair reduces to covXY = Σ D_x·E_y in row order, bit for bit the update.
        var after = new double[k][];
        var before = new double[k][];
        var squares = new double[k];
        for (var c = 0; c < k; c++)
        {
            if (complete[c])
            {
                (after[c], before[c], squares[c]) = RunningDeviations(columns[c], reciprocal);
            }
        }

        var result = new double[k * k];
        for (var xi = 0; xi < k; xi++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var yi = 0; yi <= xi; yi++)
            {
                double r;
                if (complete[xi] && complete[yi])
                {
                    var d = after[xi];
                    var e = before[yi];
                    var covXY = 0.0;
                    for (var i = 0; i < n; i++)
                    {
                        covXY += d[i] * e[i];
                    }
                    r = Finish(n, minPeriods, covXY, squares[xi], squares[yi]);
                }
                else
                {
                    r = PairwiseComplete(columns[xi], columns[yi], reciprocal, minPeriods);
                }
                result[xi * k + yi] = r;
                result[yi * k + xi] = r;
            }
        }
        return new FeatureMatrix(k, k, result);
    }

    private static (double[] After, double[] Before, double Squares) RunningDeviations(double[] v, double[] reciprocal)
    {
        var after = new double[v.Length];
        var before = new double[v.Length];
        double mean = 0, squares = 0;
        for (var i = 0; i < v.Length; i++)
        {
            var delta = v[i] - mean;
            mean += reciprocal[i + 1] * delta;
            before[i] = delta;
            after[i] = v[i] - mean;
            squares += after[i] * delta;
        }
        return (after, before, squares);
    }

    private static double PairwiseComplete(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double[] reciprocal, int minPeriods)
    {
        var nobs = 0;
        double meanX = 0, meanY = 0, ssqX = 0, ssqY = 0, covXY = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var vx = x[i];
            var vy = y[i];
            if (!double.IsFinite(vx) || !double.IsFinite(vy))
            {
                continue;
            }
            nobs++;
            var dx = vx - meanX;
            var dy = vy - meanY;
            meanX += reciprocal[nobs] * dx;
            meanY += reciprocal[nobs] * dy;
            ssqX += (vx - meanX) * dx;
            ssqY += (vy - meanY) * dy;
            covXY += (vx - meanX) * dy;
        }
        return Finish(nobs, minPeriods, covXY, ssqX, ssqY);
    }

    private static double Finish(int nobs, int minPeriods, double covXY, double ssqX, double ssqY)
    {
        if (nobs < minPeriods)
        {
            return double.NaN;
        }
        var divisor = Math.Sqrt(ssqX * ssqY);
        return divisor != 0 ? covXY / divisor : double.NaN;
    }
}
