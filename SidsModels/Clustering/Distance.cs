namespace SidsModels.Clustering;

/// <summary>Dissimilarities of the clustering algorithms, summed in a fixed order so that results do not depend on the CPU's vector width.</summary>
internal static class Distance
{
    public static double SquaredEuclidean(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s0 = 0, s1 = 0;
        var i = 0;
        for (; i + 1 < a.Length; i += 2)
        {
            var d0 = a[i] - b[i];
            var d1 = a[i + 1] - b[i + 1];
            s0 += d0 * d0;
            s1 += d1 * d1;
        }
        if (i < a.Length)
        {
            var d0 = a[i] - b[i];
            s0 += d0 * d0;
        }
        return s0 + s1;
    }

    /// <summary>Simple matching dissimilarity: how many attributes differ.</summary>
    public static int Mismatches(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        var count = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                count++;
            }
        }
        return count;
    }
}
