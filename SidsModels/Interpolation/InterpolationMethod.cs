using System.ComponentModel;
using System.Text.Json.Serialization;

namespace SidsModels.Interpolation;

/// <summary>
/// pandas' <c>interpolate(method=...)</c> methods the service offers, with pandas' names on the wire.
/// Every method but <see cref="Linear"/> uses the years as the x-axis; <see cref="Linear"/> spaces the
/// points equally, as pandas does (it ignores the index for "linear").
/// </summary>
public enum InterpolationMethod
{
    /// <summary>np.interp on positions 0..n-1; the first and last observed values fill the ends.</summary>
    [JsonStringEnumMemberName("linear"), Description("Linear (equally spaced points)")]
    Linear,

    /// <summary>scipy interp1d "nearest": the value of the nearest observed year (ties take the earlier one).</summary>
    [JsonStringEnumMemberName("nearest"), Description("Nearest observed year")]
    Nearest,

    /// <summary>scipy interp1d "zero": the previous observed value (a step function).</summary>
    [JsonStringEnumMemberName("zero"), Description("Previous observed value (step)")]
    Zero,

    /// <summary>scipy interp1d "slinear": a degree-1 spline through the observed years.</summary>
    [JsonStringEnumMemberName("slinear"), Description("Linear spline over the years")]
    Slinear,

    /// <summary>scipy interp1d "quadratic": an interpolating degree-2 B-spline.</summary>
    [JsonStringEnumMemberName("quadratic"), Description("Quadratic spline")]
    Quadratic,

    /// <summary>scipy interp1d "cubic": an interpolating not-a-knot cubic B-spline.</summary>
    [JsonStringEnumMemberName("cubic"), Description("Cubic spline")]
    Cubic,

    /// <summary>scipy UnivariateSpline of degree d with the default smoothing (s = number of observed years).</summary>
    [JsonStringEnumMemberName("spline"), Description("Smoothing spline of order d")]
    Spline,

    /// <summary>scipy interp1d with kind = d: an interpolating B-spline of degree d.</summary>
    [JsonStringEnumMemberName("polynomial"), Description("Interpolating spline of order d")]
    Polynomial,

    /// <summary>scipy BPoly.from_derivatives on the values alone: straight lines between observed years.</summary>
    [JsonStringEnumMemberName("piecewise_polynomial"), Description("Piecewise polynomial")]
    PiecewisePolynomial,

    /// <summary>scipy PchipInterpolator: monotone piecewise cubic Hermite.</summary>
    [JsonStringEnumMemberName("pchip"), Description("PCHIP (monotone cubic)")]
    Pchip,

    /// <summary>scipy Akima1DInterpolator.</summary>
    [JsonStringEnumMemberName("akima"), Description("Akima")]
    Akima,

    /// <summary>scipy CubicSpline with not-a-knot ends.</summary>
    [JsonStringEnumMemberName("cubicspline"), Description("Cubic spline (not-a-knot)")]
    CubicSpline,
}

/// <summary>
/// pandas' <c>limit_direction</c>: which missing values may be filled. Forward keeps the missing values
/// before the first observation, backward those after the last one, both fills every one the method can.
/// </summary>
public enum LimitDirection
{
    [JsonStringEnumMemberName("forward"), Description("Forward")]
    Forward,

    [JsonStringEnumMemberName("backward"), Description("Backward")]
    Backward,

    [JsonStringEnumMemberName("both"), Description("Both")]
    Both,
}
