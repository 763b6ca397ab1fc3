namespace SidsModels.Trees;

/// <summary>
/// How many features a node draws (without replacement) when it looks for its split, as scikit-learn's
/// <c>max_features</c>: all of them, a fraction (<c>max(1, ⌊fraction × features⌋)</c>), <c>⌊√features⌋</c>,
/// <c>⌊log2 features⌋</c> (at least 1), or a count (capped at the number of features, so that the same
/// options work after feature selection).
/// </summary>
public sealed record MaxFeatures
{
    private enum Rule
    {
        All,
        Fraction,
        Sqrt,
        Log2,
        Count,
    }

    private readonly Rule rule;
    private readonly double value;

    private MaxFeatures(Rule rule, double value)
    {
        this.rule = rule;
        this.value = value;
    }

    public static MaxFeatures All { get; } = new(Rule.All, 1);

    public static MaxFeatures Sqrt { get; } = new(Rule.Sqrt, 0);

    public static MaxFeatures Log2 { get; } = new(Rule.Log2, 0);

    /// <param name="fraction">In (0, 1].</param>
    public static MaxFeatures Fraction(double fraction)
    {
        if (!(fraction > 0 && fraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "A feature fraction must be in (0, 1].");
        }
        return new(Rule.Fraction, fraction);
    }

    /// <param name="count">At least 1.</param>
    public static MaxFeatures Count(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return new(Rule.Count, count);
    }

    /// <summary>The number of features to draw at each node for a matrix of <paramref name="features"/> columns.</summary>
    public int Resolve(int features) => rule switch
    {
        Rule.All => features,
        Rule.Fraction => Math.Max(1, (int)(value * features)),
        Rule.Sqrt => Math.Max(1, (int)Math.Sqrt(features)),
        Rule.Log2 => Math.Max(1, (int)Math.Log2(features)),
        _ => Math.Min(features, (int)value),
    };

    public override string ToString() => rule switch
    {
        Rule.All => "all",
        Rule.Fraction => value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Rule.Sqrt => "sqrt",
        Rule.Log2 => "log2",
        _ => ((int)value).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
