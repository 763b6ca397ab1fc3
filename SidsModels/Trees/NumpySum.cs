namespace SidsModels.Trees;

/// <summary>
/// numpy's summation of a contiguous float64 array (<c>np.sum</c>, <c>np.average</c>, <c>np.mean</c>):
/// pairwise, with 8 accumulators in blocks of at most 128 values. Summing in the same order keeps the
/// last bits equal to scikit-learn's, which matters where a rounding difference flips an exact tie later
/// (boosting's initial mean, cross-validation scores).
/// </summary>
internal static class NumpySum
{
    private const int BlockSize = 128;

    public static double Pairwise(ReadOnlySpan<double> values)
    {
        var n = values.Length;
        if (n < 8)
        {
            var result = 0.0;
            foreach (var v in values)
            {
                result += v;
            }
            return result;
        }
        if (n <= BlockSize)
        {
            double r0 = values[0], r1 = values[1], r2 = values[2], r3 = values[3];
            double r4 = values[4], r5 = values[5], r6 = values[6], r7 = values[7];
            var i = 8;
            for (; i < n - n % 8; i += 8)
            {
                r0 += values[i];
                r1 += values[i + 1];
                r2 += values[i + 2];
                r3 += values[i + 3];
                r4 += values[i + 4];
                r5 += values[i + 5];
                r6 += values[i + 6];
                r7 += values[i + 7];
            }
            var sum = (r0 + r1 + (r2 + r3)) + (r4 + r5 + (r6 + r7));
            for (; i < n; i++)
            {
                sum += values[i];
            }
            return sum;
        }
        var half = n / 2;
        half -= half % 8;
        return Pairwise(values[..half]) + Pairwise(values[half..]);
    }

    /// <summary><c>np.average(values, weights=weights)</c>: Σ(value × weight) / Σweight, both pairwise.</summary>
    public static double WeightedMean(ReadOnlySpan<double> values, ReadOnlySpan<double> weights)
    {
        var products = values.Length <= 512 ? stackalloc double[values.Length] : new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            products[i] = values[i] * weights[i];
        }
        return Pairwise(products) / Pairwise(weights);
    }
}
