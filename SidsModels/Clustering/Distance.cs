using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SidsModels.Clustering;

/// <summary>
/// Dissimilarities of the clustering algorithms. Sums run in four lanes combined as (l0 + l1) + (l2 + l3),
/// then the leftover elements in order, with or without vector instructions, so results do not depend on the CPU.
/// </summary>
internal static class Distance
{
    public static double SquaredEuclidean(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var length = a.Length;
        if (b.Length != length)
        {
            throw new ArgumentException("The vectors differ in length.", nameof(b));
        }
        ref var x = ref MemoryMarshal.GetReference(a);
        ref var y = ref MemoryMarshal.GetReference(b);
        var i = 0;
        double total;
        if (length >= 4)
        {
            if (Vector256.IsHardwareAccelerated)
            {
                var sum = Vector256<double>.Zero;
                for (; i <= length - 4; i += 4)
                {
                    var d = Vector256.LoadUnsafe(ref x, (nuint)i) - Vector256.LoadUnsafe(ref y, (nuint)i);
                    sum += d * d;
                }
                total = (sum.GetElement(0) + sum.GetElement(1)) + (sum.GetElement(2) + sum.GetElement(3));
            }
            else
            {
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                for (; i <= length - 4; i += 4)
                {
                    var d0 = Unsafe.Add(ref x, i) - Unsafe.Add(ref y, i);
                    var d1 = Unsafe.Add(ref x, i + 1) - Unsafe.Add(ref y, i + 1);
                    var d2 = Unsafe.Add(ref x, i + 2) - Unsafe.Add(ref y, i + 2);
                    var d3 = Unsafe.Add(ref x, i + 3) - Unsafe.Add(ref y, i + 3);
                    s0 += d0 * d0;
                    s1 += d1 * d1;
                    s2 += d2 * d2;
                    s3 += d3 * d3;
                }
                total = (s0 + s1) + (s2 + s3);
            }
        }
        else
        {
            total = 0;
        }
        for (; i < length; i++)
        {
            var d = Unsafe.Add(ref x, i) - Unsafe.Add(ref y, i);
            total += d * d;
        }
        return total;
    }

    /// <summary>Simple matching dissimilarity: how many attributes differ.</summary>
    public static int Mismatches(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        var length = a.Length;
        if (b.Length != length)
        {
            throw new ArgumentException("The vectors differ in length.", nameof(b));
        }
        ref var x = ref MemoryMarshal.GetReference(a);
        ref var y = ref MemoryMarshal.GetReference(b);
        var i = 0;
        var equal = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= length - 8; i += 8)
            {
                var same = Vector256.Equals(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256.LoadUnsafe(ref y, (nuint)i));
                equal += BitOperations.PopCount(same.ExtractMostSignificantBits());
            }
        }
        for (; i < length; i++)
        {
            if (Unsafe.Add(ref x, i) == Unsafe.Add(ref y, i))
            {
                equal++;
            }
        }
        return length - equal;
    }
}
