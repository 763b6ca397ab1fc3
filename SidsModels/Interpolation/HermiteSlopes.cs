namespace SidsModels.Interpolation;

/// <summary>
/// The derivatives at the data points that scipy's piecewise cubic Hermite interpolators use:
/// <c>PchipInterpolator</c>, <c>Akima1DInterpolator</c> and <c>CubicSpline</c> (not-a-knot ends).
/// The curve itself is MathNet's Hermite spline through the points with these derivatives.
/// MathNet's own PCHIP and Akima differ from scipy's (a tolerance for flat slopes and no two-point
/// case; three-point end derivatives for Akima) and it has no not-a-knot cubic spline, hence these.
/// All need strictly increasing x and at least two points.
/// </summary>
internal static class HermiteSlopes
{
    /// <summary>
    /// PCHIP (Fritsch–Butland): the weighted harmonic mean of the neighbouring secant slopes where they
    /// have the same sign, else 0; one-sided three-point estimates at the ends, kept shape-preserving.
    /// </summary>
    public static void Pchip(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> slopes)
    {
        var n = x.Length;
        if (n == 2)
        {
            slopes[0] = slopes[1] = (y[1] - y[0]) / (x[1] - x[0]);
            return;
        }
        for (var i = 1; i < n - 1; i++)
        {
            double h0 = x[i] - x[i - 1], h1 = x[i + 1] - x[i];
            double m0 = (y[i] - y[i - 1]) / h0, m1 = (y[i + 1] - y[i]) / h1;
            if (Sign(m0) != Sign(m1) || m0 == 0 || m1 == 0)
            {
                slopes[i] = 0;
                continue;
            }
            var w1 = 2 * h1 + h0;
            var w2 = h1 + 2 * h0;
            var harmonic = (w1 / m0 + w2 / m1) / (w1 + w2);
            slopes[i] = 1.0 / harmonic;
        }
        slopes[0] = PchipEnd(x[1] - x[0], x[2] - x[1], (y[1] - y[0]) / (x[1] - x[0]), (y[2] - y[1]) / (x[2] - x[1]));
        slopes[n - 1] = PchipEnd(x[n - 1] - x[n - 2], x[n - 2] - x[n - 3],
            (y[n - 1] - y[n - 2]) / (x[n - 1] - x[n - 2]), (y[n - 2] - y[n - 3]) / (x[n - 2] - x[n - 3]));
    }

    // numpy's sign: NaN for NaN (which then differs from every sign), where Math.Sign would throw.
    private static double Sign(double value) => value > 0 ? 1 : value < 0 ? -1 : value == 0 ? 0 : double.NaN;

    private static double PchipEnd(double h0, double h1, double m0, double m1)
    {
        var d = ((2 * h0 + h1) * m0 - h0 * m1) / (h0 + h1);
        if (Sign(d) != Sign(m0))
        {
            return 0;
        }
        if (Sign(m0) != Sign(m1) && Math.Abs(d) > 3.0 * Math.Abs(m0))
        {
            return 3.0 * m0;
        }
        return d;
    }

    /// <summary>
    /// Akima: each derivative weighs the two secant slopes on either side by how much the slopes beyond
    /// them change; two extra slopes are extrapolated linearly at each end. With two points scipy reads
    /// memory it never set (its answer is undefined); here the two extra slopes equal the one secant,
    /// which makes the curve the straight line through the points.
    /// </summary>
    public static void Akima(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> slopes)
    {
        var n = x.Length;
        if (n == 2)
        {
            slopes[0] = slopes[1] = (y[1] - y[0]) / (x[1] - x[0]);
            return;
        }
        // m[2..n] are the n-1 secant slopes; m[0], m[1], m[n+1], m[n+2] extend them.
        Span<double> m = n <= 256 ? stackalloc double[n + 3] : new double[n + 3];
        for (var i = 0; i < n - 1; i++)
        {
            m[i + 2] = (y[i + 1] - y[i]) / (x[i + 1] - x[i]);
        }
        m[1] = 2.0 * m[2] - m[3];
        m[0] = 2.0 * m[1] - m[2];
        m[n + 1] = 2.0 * m[n] - m[n - 1];
        m[n + 2] = 2.0 * m[n + 1] - m[n];
        // f12[i] = |m[i+3]-m[i+2]| + |m[i+1]-m[i]|; weights only where f12 is not negligible against its largest value.
        var largest = double.NegativeInfinity;
        for (var i = 0; i < n; i++)
        {
            largest = Math.Max(largest, Math.Abs(m[i + 3] - m[i + 2]) + Math.Abs(m[i + 1] - m[i]));
        }
        for (var i = 0; i < n; i++)
        {
            var f1 = Math.Abs(m[i + 3] - m[i + 2]);
            var f2 = Math.Abs(m[i + 1] - m[i]);
            var f12 = f1 + f2;
            slopes[i] = f12 > 1e-9 * largest
                ? (f1 * m[i + 1] + f2 * m[i + 2]) / f12
                : 0.5 * (m[i + 3] + m[i]);
        }
    }

    /// <summary>
    /// The cubic spline with not-a-knot ends (the first two and the last two pieces are one cubic):
    /// a tridiagonal system for the derivatives, solved as LAPACK gtsv does; three points give the
    /// parabola through them and two the straight line, as scipy's CubicSpline.
    /// </summary>
    public static void NotAKnot(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> slopes)
    {
        var n = x.Length;
        if (n == 2)
        {
            slopes[0] = slopes[1] = (y[1] - y[0]) / (x[1] - x[0]);
            return;
        }
        if (n == 3)
        {
            ParabolaSlopes(x, y, slopes);
            return;
        }
        Span<double> buffer = n <= 128 ? stackalloc double[6 * n] : new double[6 * n];
        var dx = buffer[..(n - 1)];
        var slope = buffer.Slice(n, n - 1);
        var lower = buffer.Slice(2 * n, n - 1);
        var diagonal = buffer.Slice(3 * n, n);
        var upper = buffer.Slice(4 * n, n - 1);
        var upper2 = buffer.Slice(5 * n, n);
        for (var i = 0; i < n - 1; i++)
        {
            dx[i] = x[i + 1] - x[i];
            slope[i] = (y[i + 1] - y[i]) / dx[i];
        }
        for (var i = 1; i < n - 1; i++)
        {
            diagonal[i] = 2 * (dx[i - 1] + dx[i]);
            upper[i] = dx[i - 1];
            lower[i - 1] = dx[i];
            slopes[i] = 3 * (dx[i] * slope[i - 1] + dx[i - 1] * slope[i]);
        }
        var d = x[2] - x[0];
        diagonal[0] = dx[1];
        upper[0] = d;
        slopes[0] = ((dx[0] + 2 * d) * dx[1] * slope[0] + dx[0] * dx[0] * slope[1]) / d;
        d = x[n - 1] - x[n - 3];
        diagonal[n - 1] = dx[n - 3];
        lower[n - 2] = d;
        slopes[n - 1] = (dx[n - 2] * dx[n - 2] * slope[n - 3] + (2 * d + dx[n - 2]) * dx[n - 3] * slope[n - 2]) / d;
        SolveTridiagonal(lower, diagonal, upper, upper2, slopes);
    }

    // CubicSpline's three-point not-a-knot case: one parabola, from a 3×3 system solved with partial pivoting.
    private static void ParabolaSlopes(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> slopes)
    {
        double dx0 = x[1] - x[0], dx1 = x[2] - x[1];
        double s0 = (y[1] - y[0]) / dx0, s1 = (y[2] - y[1]) / dx1;
        Span<double> a = [1, 1, 0, dx1, 2 * (dx0 + dx1), dx0, 0, 1, 1];
        Span<double> b = [2 * s0, 3 * (dx0 * s1 + dx1 * s0), 2 * s1];
        for (var col = 0; col < 3; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < 3; r++)
            {
                if (Math.Abs(a[r * 3 + col]) > Math.Abs(a[pivot * 3 + col]))
                {
                    pivot = r;
                }
            }
            if (pivot != col)
            {
                for (var c = 0; c < 3; c++)
                {
                    (a[col * 3 + c], a[pivot * 3 + c]) = (a[pivot * 3 + c], a[col * 3 + c]);
                }
                (b[col], b[pivot]) = (b[pivot], b[col]);
            }
            for (var r = col + 1; r < 3; r++)
            {
                var factor = a[r * 3 + col] / a[col * 3 + col];
                for (var c = col; c < 3; c++)
                {
                    a[r * 3 + c] -= factor * a[col * 3 + c];
                }
                b[r] -= factor * b[col];
            }
        }
        for (var row = 2; row >= 0; row--)
        {
            var sum = b[row];
            for (var c = row + 1; c < 3; c++)
            {
                sum -= a[row * 3 + c] * slopes[c];
            }
            slopes[row] = sum / a[row * 3 + row];
        }
    }

    // LAPACK dgtsv: Gaussian elimination with partial pivoting on a tridiagonal system; the row swaps
    // fill a second superdiagonal. Overwrites the diagonals; the right-hand side becomes the solution.
    private static void SolveTridiagonal(Span<double> lower, Span<double> diagonal, Span<double> upper, Span<double> upper2, Span<double> rhs)
    {
        var n = diagonal.Length;
        for (var i = 0; i < n - 1; i++)
        {
            if (Math.Abs(diagonal[i]) >= Math.Abs(lower[i]))
            {
                var factor = lower[i] / diagonal[i];
                diagonal[i + 1] -= factor * upper[i];
                rhs[i + 1] -= factor * rhs[i];
                if (i < n - 2)
                {
                    upper2[i] = 0;
                }
            }
            else
            {
                var factor = diagonal[i] / lower[i];
                diagonal[i] = lower[i];
                var temp = diagonal[i + 1];
                diagonal[i + 1] = upper[i] - factor * temp;
                if (i < n - 2)
                {
                    upper2[i] = upper[i + 1];
                    upper[i + 1] = -factor * upper2[i];
                }
                upper[i] = temp;
                temp = rhs[i];
                rhs[i] = rhs[i + 1];
                rhs[i + 1] = temp - factor * rhs[i + 1];
            }
        }
        rhs[n - 1] /= diagonal[n - 1];
        rhs[n - 2] = (rhs[n - 2] - upper[n - 2] * rhs[n - 1]) / diagonal[n - 2];
        for (var i = n - 3; i >= 0; i--)
        {
            rhs[i] = (rhs[i] - upper[i] * rhs[i + 1] - upper2[i] * rhs[i + 2]) / diagonal[i];
        }
    }
}
