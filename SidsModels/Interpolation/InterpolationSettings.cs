using SidsModels.Common;

namespace SidsModels.Interpolation;

/// <summary>
/// How a series is interpolated: pandas' <c>method</c>, <c>limit_direction</c> and <c>order</c>.
/// <see cref="Order"/> is required for <see cref="InterpolationMethod.Spline"/> and
/// <see cref="InterpolationMethod.Polynomial"/> (pandas refuses them without it) and ignored otherwise.
/// Whether an order suits a series (spline degrees 1..5, polynomial degrees odd or 2, enough observed
/// years) is decided when a series needs filling, as pandas decides it.
/// </summary>
public sealed record InterpolationSettings
{
    public InterpolationSettings(InterpolationMethod method, LimitDirection direction = LimitDirection.Both, int? order = null)
    {
        if (!Enum.IsDefined(method))
        {
            throw new InvalidInputException($"Unknown interpolation method {method}.", "method");
        }
        if (!Enum.IsDefined(direction))
        {
            throw new InvalidInputException($"Unknown limit direction {direction}.", "direction");
        }
        if (NeedsOrder(method) && order is null)
        {
            throw new InvalidInputException("You must specify the order (d) of the spline or polynomial.", "d");
        }
        Method = method;
        Direction = direction;
        Order = NeedsOrder(method) ? order : null;
    }

    public InterpolationMethod Method { get; }

    public LimitDirection Direction { get; }

    /// <summary>The degree for spline and polynomial; null for the other methods.</summary>
    public int? Order { get; }

    public static bool NeedsOrder(InterpolationMethod method) =>
        method is InterpolationMethod.Spline or InterpolationMethod.Polynomial;
}
