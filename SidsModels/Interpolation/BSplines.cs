using System.Buffers;

namespace SidsModels.Interpolation;

/// <summary>
/// Interpolating B-splines as scipy's <c>make_interp_spline(x, y, k)</c> builds them for
/// <c>interp1d(kind=...)</c>: degree 0 (previous value) and 1 (straight lines) directly on the data
/// points; degree 2 with knots at the midpoints of the data, leaving out the second and second-to-last;
/// odd degrees with not-a-knot knots (the data points but the (k-1)/2+1 nearest each end). The
/// coefficients solve the collocation system by banded Gaussian elimination with partial pivoting
/// (LAPACK gbsv's method).
/// </summary>
internal static class BSplines
{
    /// <summary>How many knots <see cref="Fit"/> writes for <paramref name="count"/> points of degree <paramref name="degree"/>.</summary>
    public static int KnotCount(int count, int degree) => count + degree + 1;

    /// <summary>
    /// The knots and coefficients of the degree-<paramref name="degree"/> spline through (x, y).
    /// Needs strictly increasing x; degree 0 or 1 and at least one point, degree 2 and at least 3,
    /// or odd degree k and at least k+1 points (scipy refuses the rest; callers check first).
    /// </summary>
    public static void Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int degree, Span<double> knots, Span<double> coefficients)
    {
        var n = x.Length;
        y.CopyTo(coefficients);
        if (degree == 0)
        {
            x.CopyTo(knots);
            knots[n] = x[n - 1];
            return;
        }
        if (degree == 1)
        {
            knots[0] = x[0];
            x.CopyTo(knots[1..]);
            knots[n + 1] = x[n - 1];
            return;
        }
        for (var i = 0; i <= degree; i++)
        {
            knots[i] = x[0];
            knots[n + i] = x[n - 1];
        }
        if (degree == 2)
        {
            // Midpoints of the data, but the first and last: n - 3 interior knots.
            for (var i = 1; i < n - 2; i++)
            {
                knots[degree + i] = (x[i + 1] + x[i]) / 2.0;
            }
        }
        else
        {
            var skip = (degree - 1) / 2;
            for (var i = skip + 1; i < n - skip - 1; i++)
            {
                knots[degree + i - skip] = x[i];
            }
        }
        SolveCollocation(x, knots[..(n + degree + 1)], degree, coefficients);
    }

    /// <summary>The spline at <paramref name="at"/>, from the piece whose knot interval holds it (the end pieces outside).</summary>
    public static double Evaluate(ReadOnlySpan<double> knots, ReadOnlySpan<double> coefficients, int degree, double at)
    {
        var left = Interval(knots, degree, at);
        Span<double> basis = stackalloc double[degree + 1];
        Basis(knots, degree, left, at, basis);
        var sum = 0.0;
        for (var a = 0; a <= degree; a++)
        {
            sum += coefficients[left - degree + a] * basis[a];
        }
        return sum;
    }

    /// <summary>
    /// The knot interval for <paramref name="at"/>: <c>t[l] &lt;= at &lt; t[l+1]</c> with k &lt;= l &lt; n,
    /// the last one for the right end and beyond, the first one before the left end.
    /// </summary>
    public static int Interval(ReadOnlySpan<double> knots, int degree, double at)
    {
        var last = knots.Length - degree - 2;
        var l = degree;
        while (l < last && at >= knots[l + 1])
        {
            l++;
        }
        return l;
    }

    /// <summary>The degree+1 B-splines that are non-zero on interval <paramref name="left"/>, at <paramref name="at"/> (de Boor–Cox).</summary>
    public static void Basis(ReadOnlySpan<double> knots, int degree, int left, double at, Span<double> basis)
    {
        Span<double> previous = stackalloc double[degree + 1];
        basis[0] = 1;
        for (var j = 1; j <= degree; j++)
        {
            basis[..j].CopyTo(previous);
            basis[0] = 0;
            for (var i = 1; i <= j; i++)
            {
                var upper = knots[left + i];
                var lower = knots[left + i - j];
                if (upper == lower)
                {
                    basis[i] = 0;
                    continue;
                }
                var w = previous[i - 1] / (upper - lower);
                basis[i - 1] += w * (upper - at);
                basis[i] = w * (at - lower);
            }
        }
    }

    // The collocation matrix has at most degree+1 non-zeros per row within `degree` of the diagonal;
    // elimination with partial pivoting keeps the fill within 2·degree above it.
    private static void SolveCollocation(ReadOnlySpan<double> x, ReadOnlySpan<double> knots, int degree, Span<double> rhs)
    {
        var n = x.Length;
        var matrix = ArrayPool<double>.Shared.Rent(n * n);
        try
        {
            var a = matrix.AsSpan(0, n * n);
            a.Clear();
            Span<double> basis = stackalloc double[degree + 1];
            for (var row = 0; row < n; row++)
            {
                var left = Interval(knots, degree, x[row]);
                Basis(knots, degree, left, x[row], basis);
                for (var j = 0; j <= degree; j++)
                {
                    a[row * n + left - degree + j] = basis[j];
                }
            }
            var reach = 2 * degree;
            for (var col = 0; col < n; col++)
            {
                var lastRow = Math.Min(n - 1, col + degree);
                var lastCol = Math.Min(n - 1, col + reach);
                var pivot = col;
                for (var r = col + 1; r <= lastRow; r++)
                {
                    if (Math.Abs(a[r * n + col]) > Math.Abs(a[pivot * n + col]))
                    {
                        pivot = r;
                    }
                }
                if (pivot != col)
                {
                    for (var c = col; c <= lastCol; c++)
                    {
                        (a[col * n + c], a[pivot * n + c]) = (a[pivot * n + c], a[col * n + c]);
                    }
                    (rhs[col], rhs[pivot]) = (rhs[pivot], rhs[col]);
                }
                var diagonal = a[col * n + col];
                for (var r = col + 1; r <= lastRow; r++)
                {
                    var factor = a[r * n + col] / diagonal;
                    if (factor == 0)
                    {
                        continue;
                    }
                    for (var c = col + 1; c <= lastCol; c++)
                    {
                        a[r * n + c] -= factor * a[col * n + c];
                    }
                    rhs[r] -= factor * rhs[col];
                }
            }
            for (var row = n - 1; row >= 0; row--)
            {
                var sum = rhs[row];
                var lastCol = Math.Min(n - 1, row + reach);
                for (var c = row + 1; c <= lastCol; c++)
                {
                    sum -= a[row * n + c] * rhs[c];
                }
                rhs[row] = sum / a[row * n + row];
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(matrix);
        }
    }
}
