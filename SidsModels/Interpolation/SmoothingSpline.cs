namespace SidsModels.Interpolation;

/// <summary>
/// The smoothing spline pandas fits for <c>method="spline", order=k</c>: scipy's
/// <c>UnivariateSpline(x, y, k)</c> with unit weights and its default smoothing condition
/// s = m (the number of points), computed by Dierckx's FITPACK curve-fitting algorithm (curfit):
/// knots are added where the residuals are largest until the least-squares spline's residual sum
/// fp falls below s, then the smoothing parameter p is found by rational interpolation so that
/// fp(p) = s within a relative tolerance of 0.001. scipy starts with room for max(m/2, 2k+2) knots
/// and, when that is not enough, continues from the knots found with room for m+k+1; both steps are
/// reproduced here, as they change which knots are placed. Evaluation extrapolates from the end
/// polynomial pieces (scipy's ext=0).
/// </summary>
/// <remarks>
/// The algorithm is written with FITPACK's 1-based indices (the accessors below shift them) so that
/// every knot, rotation and iteration happens in the same order as in scipy, and the spline agrees
/// with it to rounding. Requires strictly increasing x, finite y, 1 &lt;= k &lt;= 5 and m &gt; k.
/// </remarks>
internal sealed class SmoothingSpline
{
    private const double Tolerance = 0.001;
    private const int MaxIterations = 20;

    private readonly double[] x;
    private readonly double[] y;
    private readonly int m;
    private readonly int k;
    private readonly int k1;
    private readonly int k2;
    private readonly double s;
    private readonly double[] t;
    private readonly double[] c;
    private readonly double[] fpint;
    private readonly int[] nrdata;
    private readonly double[] z;
    private readonly double[] a; // nest × k1: the triangularised observation matrix
    private readonly double[] b; // nest × k2: discontinuity jumps of the k-th derivative
    private readonly double[] g; // nest × k2: a with the rows of b rotated in
    private readonly double[] q; // m × k1: the non-zero B-splines at each point
    private readonly double[] h = new double[8];
    private int n;
    private int ier;

    private SmoothingSpline(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int k)
    {
        this.x = x.ToArray();
        this.y = y.ToArray();
        m = x.Length;
        this.k = k;
        k1 = k + 1;
        k2 = k + 2;
        s = m;
        var nest = m + k1;
        t = new double[nest];
        c = new double[nest];
        fpint = new double[nest];
        nrdata = new int[nest];
        z = new double[nest];
        a = new double[nest * k1];
        b = new double[nest * k2];
        g = new double[nest * k2];
        q = new double[m * k1];
    }

    /// <summary>The knots of the fitted spline.</summary>
    public ReadOnlySpan<double> Knots => t.AsSpan(0, n);

    /// <summary>FITPACK's completion code: 0 fp = s, -1 interpolating, -2 least-squares polynomial, 1-3 warnings.</summary>
    public int Status => ier;

    /// <summary>Fits the spline as scipy's UnivariateSpline(x, y, k=degree) does.</summary>
    public static SmoothingSpline Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int degree)
    {
        var spline = new SmoothingSpline(x, y, degree);
        // scipy's fpcurf0 starts with room for max(m/2, 2k+2) knots; when FITPACK reports that the room
        // ran out (ier = 1), UnivariateSpline continues from the knots found with room for m+k+1.
        spline.Curfit(restart: true, nest: Math.Max(spline.m / 2, 2 * spline.k1));
        if (spline.ier == 1)
        {
            spline.Curfit(restart: false, nest: spline.m + spline.k1);
        }
        return spline;
    }

    /// <summary>The spline at <paramref name="at"/>; outside the knots the end pieces extend (extrapolation).</summary>
    public double Evaluate(double at)
    {
        var nk1 = n - k1;
        var l = k1;
        // The knot interval t(l) <= at < t(l+1), clamped to the first and last pieces.
        while (l < nk1 && at >= T(l + 1))
        {
            l++;
        }
        Bsplines(at, l);
        var sum = 0.0;
        for (var j = 1; j <= k1; j++)
        {
            sum += C(l - k1 + j) * h[j - 1];
        }
        return sum;
    }

    private ref double X(int i) => ref x[i - 1];

    private ref double Y(int i) => ref y[i - 1];

    private ref double T(int i) => ref t[i - 1];

    private ref double C(int i) => ref c[i - 1];

    private ref double Z(int i) => ref z[i - 1];

    private ref double Fpint(int i) => ref fpint[i - 1];

    private ref int Nrdata(int i) => ref nrdata[i - 1];

    private ref double A(int i, int j) => ref a[(i - 1) * k1 + j - 1];

    private ref double B(int i, int j) => ref b[(i - 1) * k2 + j - 1];

    private ref double G(int i, int j) => ref g[(i - 1) * k2 + j - 1];

    private ref double Q(int i, int j) => ref q[(i - 1) * k1 + j - 1];

    private ref double H(int i) => ref h[i - 1];

    /// <summary>FITPACK's fpcurf with unit weights, xb = x(1), xe = x(m), s = m, tol = 0.001, maxit = 20.</summary>
    private void Curfit(bool restart, int nest)
    {
        var nmin = 2 * k1;
        var acc = Tolerance * s;
        var nmax = m + k1;
        double fp = 0, fp0 = 0, fpold, fpms = 0;
        int nplus;
        if (!restart && n != nmin && Fpint(n) > s)
        {
            // Continue with the knots of the previous call.
            fp0 = Fpint(n);
            fpold = Fpint(n - 1);
            nplus = Nrdata(n);
        }
        else
        {
            // Start from the least-squares polynomial: no interior knots.
            n = nmin;
            fpold = 0;
            nplus = 0;
            Nrdata(1) = m - 2;
        }

        // Part 1: the number of knots and their position; ends when fp <= s (or the iterations run out).
        var iter = 1;
        while (iter <= m)
        {
            if (n == nmin)
            {
                ier = -2;
            }
            var nrint = n - nmin + 1;
            var nk1 = n - k1;
            fp = LeastSquares();
            if (ier == -2)
            {
                fp0 = fp;
            }
            Fpint(n) = fp0;
            Fpint(n - 1) = fpold;
            Nrdata(n) = nplus;
            Back(a, k1, c, z, nk1, k1);
            fpms = fp - s;
            if (Math.Abs(fpms) < acc)
            {
                return;
            }
            if (fpms < 0)
            {
                break;
            }
            if (n == nmax)
            {
                ier = -1;
                return;
            }
            if (n == nest)
            {
                ier = 1;
                return;
            }
            // How many knots to add: one after the polynomial, then as the residual decreased.
            if (ier != 0)
            {
                nplus = 1;
                ier = 0;
            }
            else
            {
                var npl1 = nplus * 2;
                double rn = nplus;
                if (fpold - fp > acc)
                {
                    npl1 = (int)(rn * fpms / (fpold - fp));
                }
                nplus = Math.Min(nplus * 2, Math.Max(Math.Max(npl1, nplus / 2), 1));
            }
            fpold = fp;
            IntervalResiduals(nrint, nk1);
            var interpolating = false;
            for (var added = 1; added <= nplus; added++)
            {
                AddKnot(ref nrint);
                if (n == nmax)
                {
                    interpolating = true;
                    break;
                }
                if (n == nest)
                {
                    break;
                }
            }
            if (interpolating)
            {
                PlaceInterpolationKnots();
                iter = 1; // FITPACK restarts its loop with the interpolation knots
                continue;
            }
            iter++;
        }
        if (ier == -2)
        {
            return; // the least-squares polynomial is within s
        }
        Smooth(fp0, fpms, acc);
    }

    /// <summary>
    /// The least-squares spline on the current knots: the observation matrix is built row by row and
    /// reduced to upper-triangular form by Givens rotations; returns its residual sum of squares.
    /// </summary>
    private double LeastSquares()
    {
        var nk1 = n - k1;
        for (var j = 1; j <= k1; j++)
        {
            T(j) = X(1);
            T(n - j + 1) = X(m);
        }
        var fp = 0.0;
        for (var i = 1; i <= nk1; i++)
        {
            Z(i) = 0;
            for (var j = 1; j <= k1; j++)
            {
                A(i, j) = 0;
            }
        }
        var l = k1;
        for (var it = 1; it <= m; it++)
        {
            var xi = X(it);
            var yi = Y(it);
            while (!(xi < T(l + 1) || l == nk1))
            {
                l++;
            }
            Bsplines(xi, l);
            for (var i = 1; i <= k1; i++)
            {
                Q(it, i) = H(i);
            }
            var j = l - k1;
            for (var i = 1; i <= k1; i++)
            {
                j++;
                var piv = H(i);
                if (piv == 0)
                {
                    continue;
                }
                var (cos, sin) = Givens(piv, ref A(j, 1));
                Rotate(cos, sin, ref yi, ref Z(j));
                if (i == k1)
                {
                    break;
                }
                var i2 = 1;
                for (var i1 = i + 1; i1 <= k1; i1++)
                {
                    i2++;
                    Rotate(cos, sin, ref H(i1), ref A(j, i2));
                }
            }
            fp += yi * yi;
        }
        return fp;
    }

    /// <summary>Residual sums per knot interval (points on a knot count half in each), for choosing where to add knots.</summary>
    private void IntervalResiduals(int nrint, int nk1)
    {
        var fpart = 0.0;
        var i = 1;
        var l = k2;
        var crossed = false;
        for (var it = 1; it <= m; it++)
        {
            if (X(it) >= T(l) && l <= nk1)
            {
                crossed = true;
                l++;
            }
            var term = 0.0;
            var l0 = l - k2;
            for (var j = 1; j <= k1; j++)
            {
                l0++;
                term += C(l0) * Q(it, j);
            }
            term = (term - Y(it)) * (term - Y(it));
            fpart += term;
            if (crossed)
            {
                var store = term * 0.5;
                Fpint(i) = fpart - store;
                i++;
                fpart = store;
                crossed = false;
            }
        }
        Fpint(nrint) = fpart;
    }

    /// <summary>FITPACK's fpknot: a new knot at the middle data point of the interval with the largest residual sum.</summary>
    private void AddKnot(ref int nrint)
    {
        var kk = (n - nrint - 1) / 2;
        var fpmax = 0.0;
        var jbegin = 1;
        var number = 0;
        var maxpt = 0;
        var maxbeg = 0;
        for (var j = 1; j <= nrint; j++)
        {
            var jpoint = Nrdata(j);
            if (fpmax < Fpint(j) && jpoint != 0)
            {
                fpmax = Fpint(j);
                number = j;
                maxpt = jpoint;
                maxbeg = jbegin;
            }
            jbegin += jpoint + 1;
        }
        if (number == 0)
        {
            // No interval holds a data point with a residual: nowhere to add a knot (FITPACK leaves this undefined).
            return;
        }
        var ihalf = maxpt / 2 + 1;
        var nrx = maxbeg + ihalf;
        var next = number + 1;
        for (var j = next; j <= nrint; j++)
        {
            var jj = next + nrint - j;
            Fpint(jj + 1) = Fpint(jj);
            Nrdata(jj + 1) = Nrdata(jj);
            var jk = jj + kk;
            T(jk + 1) = T(jk);
        }
        Nrdata(number) = ihalf - 1;
        Nrdata(next) = maxpt - ihalf;
        double am = maxpt;
        double an = Nrdata(number);
        Fpint(number) = fpmax * an / am;
        an = Nrdata(next);
        Fpint(next) = fpmax * an / am;
        T(next + kk) = X(nrx);
        n++;
        nrint++;
    }

    /// <summary>The interior knots of the interpolating spline (n = m + k + 1): data points, or midpoints for even k.</summary>
    private void PlaceInterpolationKnots()
    {
        var mk1 = m - k1;
        var k3 = k / 2;
        var i = k2;
        var j = k3 + 2;
        for (var l = 1; l <= mk1; l++)
        {
            T(i) = k3 * 2 == k ? (X(j) + X(j - 1)) * 0.5 : X(j);
            i++;
            j++;
        }
    }

    /// <summary>Part 2: the smoothing parameter p with fp(p) = s, by rational interpolation (fprati).</summary>
    private void Smooth(double fp0, double fpms, double acc)
    {
        const double con1 = 0.1, con9 = 0.9, con4 = 0.04;
        var nk1 = n - k1;
        Discontinuities();
        double p1 = 0, f1 = fp0 - s, p3 = -1, f3 = fpms, p = 0;
        for (var i = 1; i <= nk1; i++)
        {
            p += A(i, 1);
        }
        double rn = nk1;
        p = rn / p;
        var ich1 = false;
        var ich3 = false;
        var n8 = n - 2 * k1;
        for (var iter = 1; iter <= MaxIterations; iter++)
        {
            var pinv = 1 / p;
            for (var i = 1; i <= nk1; i++)
            {
                C(i) = Z(i);
                G(i, k2) = 0;
                for (var j = 1; j <= k1; j++)
                {
                    G(i, j) = A(i, j);
                }
            }
            for (var it = 1; it <= n8; it++)
            {
                for (var i = 1; i <= k2; i++)
                {
                    H(i) = B(it, i) * pinv;
                }
                var yi = 0.0;
                for (var j = it; j <= nk1; j++)
                {
                    var (cos, sin) = Givens(H(1), ref G(j, 1));
                    Rotate(cos, sin, ref yi, ref C(j));
                    if (j == nk1)
                    {
                        break;
                    }
                    var i2 = j > n8 ? nk1 - j : k1;
                    for (var i = 1; i <= i2; i++)
                    {
                        Rotate(cos, sin, ref H(i + 1), ref G(j, i + 1));
                        H(i) = H(i + 1);
                    }
                    H(i2 + 1) = 0;
                }
            }
            Back(g, k2, c, c, nk1, k2);
            var fp = 0.0;
            var l = k2;
            for (var it = 1; it <= m; it++)
            {
                if (X(it) >= T(l) && l <= nk1)
                {
                    l++;
                }
                var l0 = l - k2;
                var term = 0.0;
                for (var j = 1; j <= k1; j++)
                {
                    l0++;
                    term += C(l0) * Q(it, j);
                }
                fp += (term - Y(it)) * (term - Y(it));
            }
            fpms = fp - s;
            if (Math.Abs(fpms) < acc)
            {
                return;
            }
            if (iter == MaxIterations)
            {
                ier = 3;
                return;
            }
            var p2 = p;
            var f2 = fpms;
            if (!ich3)
            {
                if (f2 - f3 <= acc)
                {
                    // The initial p was too large.
                    p3 = p2;
                    f3 = f2;
                    p *= con4;
                    if (p <= p1)
                    {
                        p = p1 * con9 + p2 * con1;
                    }
                    continue;
                }
                if (f2 < 0)
                {
                    ich3 = true;
                }
            }
            if (!ich1)
            {
                if (f1 - f2 <= acc)
                {
                    // The initial p was too small.
                    p1 = p2;
                    f1 = f2;
                    p /= con4;
                    if (p3 < 0)
                    {
                        continue;
                    }
                    if (p >= p3)
                    {
                        p = p2 * con1 + p3 * con9;
                    }
                    continue;
                }
                if (f2 > 0)
                {
                    ich1 = true;
                }
            }
            if (f2 >= f1 || f2 <= f3)
            {
                ier = 2;
                return;
            }
            p = RationalRoot(ref p1, ref f1, p2, f2, ref p3, ref f3);
        }
    }

    /// <summary>FITPACK's fpdisc: jumps of the k-th derivative of the B-splines at the interior knots.</summary>
    private void Discontinuities()
    {
        var nk1 = n - k1;
        var nrint = nk1 - k;
        double an = nrint;
        var fac = an / (T(nk1 + 1) - T(k1));
        Span<double> hd = stackalloc double[12];
        for (var l = k2; l <= nk1; l++)
        {
            var lmk = l - k1;
            for (var j = 1; j <= k1; j++)
            {
                hd[j - 1] = T(l) - T(l + j - k2);
                hd[j + k1 - 1] = T(l) - T(l + j);
            }
            var lp = lmk;
            for (var j = 1; j <= k2; j++)
            {
                var jk = j;
                var prod = hd[j - 1];
                for (var i = 1; i <= k; i++)
                {
                    jk++;
                    prod = prod * hd[jk - 1] * fac;
                }
                B(lmk, j) = (T(lp + k1) - T(lp)) / prod;
                lp++;
            }
        }
    }

    /// <summary>The k+1 non-zero B-splines at <paramref name="at"/> on knot interval t(l) &lt;= at &lt; t(l+1), into h (FITPACK's fpbspl).</summary>
    private void Bsplines(double at, int l) => BSplines.Basis(t, k, l - 1, at, h.AsSpan(0, k1));

    /// <summary>FITPACK's fpback: solves the upper-triangular banded system (bandwidth <paramref name="band"/>) for <paramref name="solution"/>.</summary>
    private static void Back(double[] matrix, int stride, double[] solution, double[] rhs, int count, int band)
    {
        ref double M(int i, int j) => ref matrix[(i - 1) * stride + j - 1];
        var bm1 = band - 1;
        solution[count - 1] = rhs[count - 1] / M(count, 1);
        var i = count - 1;
        for (var j = 2; j <= count; j++)
        {
            var store = rhs[i - 1];
            var i1 = j <= bm1 ? j - 1 : bm1;
            var mm = i;
            for (var l = 1; l <= i1; l++)
            {
                mm++;
                store -= solution[mm - 1] * M(i, l + 1);
            }
            solution[i - 1] = store / M(i, 1);
            i--;
        }
    }

    /// <summary>FITPACK's fpgivs: the Givens rotation zeroing <paramref name="piv"/> against <paramref name="ww"/> (which becomes the norm).</summary>
    private static (double Cos, double Sin) Givens(double piv, ref double ww)
    {
        var store = Math.Abs(piv);
        double dd;
        if (store >= ww)
        {
            var r = ww / piv;
            dd = store * Math.Sqrt(1 + r * r);
        }
        else
        {
            var r = piv / ww;
            dd = ww * Math.Sqrt(1 + r * r);
        }
        var cos = ww / dd;
        var sin = piv / dd;
        ww = dd;
        return (cos, sin);
    }

    private static void Rotate(double cos, double sin, ref double first, ref double second)
    {
        var a0 = first;
        var b0 = second;
        second = cos * b0 + sin * a0;
        first = cos * a0 - sin * b0;
    }

    /// <summary>FITPACK's fprati: the zero of the rational function through three (p, f) points; keeps f1 &gt; 0 &gt; f3.</summary>
    private static double RationalRoot(ref double p1, ref double f1, double p2, double f2, ref double p3, ref double f3)
    {
        double p;
        if (p3 > 0)
        {
            var h1 = f1 * (f2 - f3);
            var h2 = f2 * (f3 - f1);
            var h3 = f3 * (f1 - f2);
            p = -(p1 * p2 * h3 + p2 * p3 * h1 + p3 * p1 * h2) / (p1 * h1 + p2 * h2 + p3 * h3);
        }
        else
        {
            p = (p1 * (f1 - f3) * f2 - p2 * (f2 - f3) * f1) / ((f1 - f2) * f3);
        }
        if (f2 < 0)
        {
            p3 = p2;
            f3 = f2;
        }
        else
        {
            p1 = p2;
            f1 = f2;
        }
        return p;
    }
}
