using SidsModels.Common;

namespace SidsModels.Statistics;

/// <summary>Column statistics over the non-NaN values (NaN = missing), in row order.</summary>
public static class NanColumns
{
    /// <summary>Each column's sum and count of non-NaN values.</summary>
    public static (double[] Sums, int[] Counts) Sums(FeatureMatrix x)
    {
        var columns = x.Columns;
        var sums = new double[columns];
        var counts = new int[columns];
        for (var r = 0; r < x.Rows; r++)
        {
            var row = x.Row(r);
            for (var c = 0; c < columns; c++)
            {
                if (!double.IsNaN(row[c]))
                {
                    sums[c] += row[c];
                    counts[c]++;
                }
            }
        }
        return (sums, counts);
    }

    /// <summary>Each column's mean over its non-NaN values; NaN for a column without any.</summary>
    public static double[] Means(FeatureMatrix x)
    {
        var (sums, counts) = Sums(x);
        var means = new double[sums.Length];
        for (var c = 0; c < means.Length; c++)
        {
            means[c] = counts[c] == 0 ? double.NaN : sums[c] / counts[c];
        }
        return means;
    }
}
