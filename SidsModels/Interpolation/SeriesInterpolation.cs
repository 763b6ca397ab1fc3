using SidsModels.Common;
using MathNetCubicSpline = MathNet.Numerics.Interpolation.CubicSpline;

namespace SidsModels.Interpolation;

/// <summary>
/// Fills the missing values (NaN) of a yearly series as pandas 1.5.3's
/// <c>Series.interpolate(method, order=d, limit_direction=direction)</c> does with scipy 1.10.
/// </summary>
/// <remarks>
/// <para>x-axis: the years for every method but <see cref="InterpolationMethod.Linear"/>, which places
/// the values at positions 0, 1, 2, … (pandas ignores the index for "linear", so a gap in the years
/// counts as one step).</para>
/// <para>Which missing values are filled: <see cref="LimitDirection.Forward"/> keeps those before the
/// first observed value missing, <see cref="LimitDirection.Backward"/> those after the last one,
/// <see cref="LimitDirection.Both"/> keeps none. A value the method cannot reach stays missing:
/// outside the observed years, linear repeats the end values, spline, pchip and cubicspline
/// extrapolate their end pieces, and nearest, zero, slinear, quadratic, cubic, polynomial,
/// piecewise_polynomial and akima give NaN.</para>
/// <para>A series with nothing missing, or nothing observed, comes back unchanged. Otherwise a method
/// that cannot be built from the observed values is refused as pandas refuses it (an
/// <see cref="InvalidInputException"/>): too few observed values for the method, a spline order outside
/// 1..5, an even polynomial order above 2. Observed values must be finite.</para>
/// </remarks>
public static class SeriesInterpolation
{
    /// <summary>The series with its missing values filled where the method and direction allow (a new array).</summary>
    public static double[] Interpolate(ReadOnlySpan<double> years, ReadOnlySpan<double> values, InterpolationSettings settings)
    {
        var result = new double[values.Length];
        Interpolate(years, values, settings, result);
        return result;
    }

    /// <summary>Writes the filled series into <paramref name="result"/> (same length as the values; may be the values' own memory).</summary>
    public static void Interpolate(ReadOnlySpan<double> years, ReadOnlySpan<double> values, InterpolationSettings settings, Span<double> result)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (years.Length != values.Length || result.Length != values.Length)
        {
            throw new ArgumentException($"years ({years.Length}), values ({values.Length}) and result ({result.Length}) must have the same length.");
        }
        CheckYears(years);
        var n = values.Length;
        int observed = 0, first = -1, last = -1;
        for (var i = 0; i < n; i++)
        {
            var v = values[i];
            if (double.IsNaN(v))
            {
                continue;
            }
            if (double.IsInfinity(v))
            {
                throw new InvalidInputException("The series holds an infinite value; only finite numbers or missing values can be interpolated.", "values");
            }
            observed++;
            if (first < 0)
            {
                first = i;
            }
            last = i;
        }
        values.CopyTo(result);
        if (observed == 0 || observed == n)
        {
            return;
        }
        CheckEnoughObserved(settings, observed);

        var xs = new double[observed];
        var ys = new double[observed];
        for (int i = 0, j = 0; i < n; i++)
        {
            if (!double.IsNaN(result[i]))
            {
                xs[j] = settings.Method == InterpolationMethod.Linear ? i : years[i];
                ys[j] = result[i];
                j++;
            }
        }
        var curve = Build(settings, xs, ys);
        var from = settings.Direction == LimitDirection.Forward ? first : 0;
        var to = settings.Direction == LimitDirection.Backward ? last : n - 1;
        for (var i = from; i <= to; i++)
        {
            if (double.IsNaN(result[i]))
            {
                result[i] = curve(settings.Method == InterpolationMethod.Linear ? i : years[i]);
            }
        }
    }

    /// <summary>Fewest observed values the method needs (pandas/scipy refuse fewer), or an error for an order it refuses.</summary>
    public static void CheckEnoughObserved(InterpolationSettings settings, int observed)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var method = settings.Method;
        var order = settings.Order ?? 0;
        int needed;
        switch (method)
        {
            case InterpolationMethod.Spline:
                if (order is < 1 or > 5)
                {
                    throw new InvalidInputException($"spline interpolation takes an order (d) from 1 to 5; got {order}.", "d");
                }
                needed = order + 1;
                break;
            case InterpolationMethod.Polynomial:
                if (order < 0)
                {
                    throw new InvalidInputException($"polynomial interpolation takes an order (d) of 0 or more; got {order}.", "d");
                }
                if (order > 2 && order % 2 == 0)
                {
                    throw new InvalidInputException(
                        $"polynomial interpolation of even order {order} is not supported (above 2 only odd orders can be built); use d = 1, 2, 3 or 5.", "d");
                }
                needed = Math.Max(1, order + 1);
                break;
            default:
                needed = method switch
                {
                    InterpolationMethod.Linear or InterpolationMethod.Nearest or InterpolationMethod.Zero => 1,
                    InterpolationMethod.Quadratic => 3,
                    InterpolationMethod.Cubic => 4,
                    _ => 2,
                };
                break;
        }
        if (observed < needed)
        {
            var name = Name(method) + (InterpolationSettings.NeedsOrder(method) ? $" (d = {order})" : "");
            throw new InvalidInputException(
                $"{name} interpolation needs at least {needed} observed values; the series has {observed}.",
                InterpolationSettings.NeedsOrder(method) ? "d" : "method");
        }
    }

    /// <summary>pandas' name of a method ("piecewise_polynomial").</summary>
    public static string Name(InterpolationMethod method) => method switch
    {
        InterpolationMethod.Linear => "linear",
        InterpolationMethod.Nearest => "nearest",
        InterpolationMethod.Zero => "zero",
        InterpolationMethod.Slinear => "slinear",
        InterpolationMethod.Quadratic => "quadratic",
        InterpolationMethod.Cubic => "cubic",
        InterpolationMethod.Spline => "spline",
        InterpolationMethod.Polynomial => "polynomial",
        InterpolationMethod.PiecewisePolynomial => "piecewise_polynomial",
        InterpolationMethod.Pchip => "pchip",
        InterpolationMethod.Akima => "akima",
        _ => "cubicspline",
    };

    private static void CheckYears(ReadOnlySpan<double> years)
    {
        for (var i = 0; i < years.Length; i++)
        {
            if (!double.IsFinite(years[i]) || (i > 0 && years[i] <= years[i - 1]))
            {
                throw new InvalidInputException("The years of a series must be finite and strictly increasing.", "years");
            }
        }
    }

    // The curve through the observed points (x ascending) that the method draws, as a function of x.
    private static Func<double, double> Build(InterpolationSettings settings, double[] xs, double[] ys) => settings.Method switch
    {
        InterpolationMethod.Linear => at => Linear(xs, ys, at),
        InterpolationMethod.Nearest => at => Nearest(xs, ys, at),
        InterpolationMethod.Zero => Spline(xs, ys, 0),
        InterpolationMethod.Slinear => Spline(xs, ys, 1),
        InterpolationMethod.Quadratic => Spline(xs, ys, 2),
        InterpolationMethod.Cubic => Spline(xs, ys, 3),
        InterpolationMethod.Polynomial => Spline(xs, ys, settings.Order!.Value),
        InterpolationMethod.Spline => SmoothingSpline.Fit(xs, ys, settings.Order!.Value).Evaluate,
        InterpolationMethod.PiecewisePolynomial => at => PiecewiseLinear(xs, ys, at),
        InterpolationMethod.Pchip => Hermite(xs, ys, HermiteSlopes.Pchip, extrapolate: true),
        InterpolationMethod.Akima => Hermite(xs, ys, HermiteSlopes.Akima, extrapolate: false),
        _ => Hermite(xs, ys, HermiteSlopes.NotAKnot, extrapolate: true),
    };

    // np.interp: straight lines between points, the end values beyond them.
    private static double Linear(double[] xs, double[] ys, double at)
    {
        var last = xs.Length - 1;
        if (at < xs[0])
        {
            return ys[0];
        }
        if (at > xs[last])
        {
            return ys[last];
        }
        var j = Array.BinarySearch(xs, at);
        if (j >= 0)
        {
            return ys[j];
        }
        j = ~j - 1;
        var slope = (ys[j + 1] - ys[j]) / (xs[j + 1] - xs[j]);
        var value = slope * (at - xs[j]) + ys[j];
        if (double.IsNaN(value))
        {
            value = slope * (at - xs[j + 1]) + ys[j + 1];
            if (double.IsNaN(value) && ys[j] == ys[j + 1])
            {
                value = ys[j];
            }
        }
        return value;
    }

    // interp1d "nearest": boundaries halfway between points; a point on a boundary takes the earlier value.
    private static double Nearest(double[] xs, double[] ys, double at)
    {
        var last = xs.Length - 1;
        if (at < xs[0] || at > xs[last])
        {
            return double.NaN;
        }
        var j = 0;
        while (j < last && xs[j] / 2.0 + xs[j + 1] / 2.0 < at)
        {
            j++;
        }
        return ys[j];
    }

    // interp1d with a spline kind: make_interp_spline's B-spline inside the observed years, NaN outside.
    private static Func<double, double> Spline(double[] xs, double[] ys, int degree)
    {
        var knots = new double[BSplines.KnotCount(xs.Length, degree)];
        var coefficients = new double[xs.Length];
        BSplines.Fit(xs, ys, degree, knots, coefficients);
        double first = xs[0], last = xs[^1];
        return at => at < first || at > last ? double.NaN : BSplines.Evaluate(knots, coefficients, degree, at);
    }

    // BPoly.from_derivatives with values only: degree-1 Bernstein pieces, NaN outside.
    private static double PiecewiseLinear(double[] xs, double[] ys, double at)
    {
        var last = xs.Length - 1;
        if (at < xs[0] || at > xs[last])
        {
            return double.NaN;
        }
        var j = Array.BinarySearch(xs, at);
        if (j >= 0)
        {
            return ys[j];
        }
        j = ~j - 1;
        var s = (at - xs[j]) / (xs[j + 1] - xs[j]);
        return ys[j] * (1 - s) + ys[j + 1] * s;
    }

    private delegate void SlopeRule(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> slopes);

    // A piecewise cubic Hermite curve with the rule's derivatives (MathNet evaluates it); NaN outside when it does not extrapolate.
    private static Func<double, double> Hermite(double[] xs, double[] ys, SlopeRule rule, bool extrapolate)
    {
        var slopes = new double[xs.Length];
        rule(xs, ys, slopes);
        var curve = MathNetCubicSpline.InterpolateHermiteSorted(xs, ys, slopes);
        if (extrapolate)
        {
            return curve.Interpolate;
        }
        double first = xs[0], last = xs[^1];
        return at => at < first || at > last ? double.NaN : curve.Interpolate(at);
    }
}
