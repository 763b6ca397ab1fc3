namespace SidsModels.Trees;

/// <summary>
/// scikit-learn's in-tree generator (<c>our_rand_r</c>, a 32-bit xorshift) that orders the features a node
/// looks at and draws extra-trees thresholds. The state is one <see cref="uint"/> owned by a tree builder.
/// </summary>
internal static class SplitterRandom
{
    public const uint RandRMax = 0x7FFFFFFF;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static uint Next(ref uint state)
    {
        if (state == 0)
        {
            state = 1;
        }
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        return state % (RandRMax + 1u);
    }

    /// <summary>Uniform integer in [low, high).</summary>
    public static int NextInt(int low, int high, ref uint state) => low + (int)(Next(ref state) % (uint)(high - low));

    /// <summary>
    /// As <see cref="NextInt(int, int, ref uint)"/>, with the remainder taken by Lemire's exact "fastmod"
    /// (a multiplication by <paramref name="inverses"/>[high − low] = ⌊(2^64 − 1) / (high − low)⌋ + 1) instead of a division.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static int NextInt(int low, int high, ref uint state, ulong[] inverses)
    {
        var divisor = (uint)(high - low);
        var lowBits = inverses[divisor] * Next(ref state);
        return low + (int)Math.BigMul(lowBits, divisor, out _);
    }

    /// <summary>The multipliers <see cref="NextInt(int, int, ref uint, ulong[])"/> needs for divisors 1..<paramref name="max"/>.</summary>
    public static ulong[] Inverses(int max)
    {
        var result = new ulong[max + 1];
        for (var d = 1; d <= max; d++)
        {
            result[d] = ulong.MaxValue / (ulong)d + 1;
        }
        return result;
    }

    /// <summary>Uniform double in [low, high], computed in the same order as scikit-learn's <c>rand_uniform</c>.</summary>
    public static double NextDouble(double low, double high, ref uint state) =>
        (high - low) * Next(ref state) / RandRMax + low;
}
