namespace SidsModels.Trees;

/// <summary>Checks sample weights and expands "none" to ones, once per fit.</summary>
internal static class SampleWeights
{
    /// <summary>A copy of <paramref name="weights"/>, or ones when it is empty.</summary>
    /// <exception cref="ArgumentException">Wrong length, a negative or non-finite weight, or no positive weight.</exception>
    public static double[] Resolve(ReadOnlySpan<double> weights, int rows)
    {
        if (weights.IsEmpty)
        {
            var ones = new double[rows];
            Array.Fill(ones, 1.0);
            return ones;
        }
        if (weights.Length != rows)
        {
            throw new ArgumentException($"Expected {rows} sample weights, got {weights.Length}.", nameof(weights));
        }
        var total = 0.0;
        foreach (var w in weights)
        {
            if (!(w >= 0) || double.IsInfinity(w))
            {
                throw new ArgumentException("Sample weights must be finite and non-negative.", nameof(weights));
            }
            total += w;
        }
        if (!(total > 0))
        {
            throw new ArgumentException("At least one sample weight must be positive.", nameof(weights));
        }
        return weights.ToArray();
    }
}
