using SidsModels.Common;

namespace SidsModels.Clustering;

/// <summary>
/// How many different rows a data set holds: no clustering can make more non-empty clusters than that, so
/// a cost curve over k stops there (the kmodes package silently lowers k to it instead).
/// </summary>
public static class DistinctRows
{
    /// <summary>
    /// The number of distinct rows over the numeric and categorical parts together (either may be null),
    /// counting no further than <paramref name="limit"/>. Numeric values compare exactly (NaN equals NaN).
    /// </summary>
    public static int Count(FeatureMatrix? numeric, CategoricalMatrix? categorical, int limit = int.MaxValue)
    {
        var rows = numeric?.Rows ?? categorical?.Rows ?? 0;
        if (numeric is not null && categorical is not null && numeric.Rows != categorical.Rows)
        {
            throw new ArgumentException($"numeric has {numeric.Rows} rows, categorical {categorical.Rows}.", nameof(categorical));
        }
        var seen = new HashSet<int>(new RowComparer(numeric, categorical));
        for (var i = 0; i < rows && seen.Count < limit; i++)
        {
            seen.Add(i);
        }
        return seen.Count;
    }

    private sealed class RowComparer(FeatureMatrix? numeric, CategoricalMatrix? categorical) : IEqualityComparer<int>
    {
        public bool Equals(int a, int b)
        {
            if (numeric is not null)
            {
                var x = numeric.Row(a);
                var y = numeric.Row(b);
                for (var j = 0; j < x.Length; j++)
                {
                    if (!x[j].Equals(y[j]))
                    {
                        return false;
                    }
                }
            }
            return categorical is null || categorical.Row(a).SequenceEqual(categorical.Row(b));
        }

        public int GetHashCode(int row)
        {
            var hash = new HashCode();
            if (numeric is not null)
            {
                foreach (var value in numeric.Row(row))
                {
                    hash.Add(value);
                }
            }
            if (categorical is not null)
            {
                foreach (var code in categorical.Row(row))
                {
                    hash.Add(code);
                }
            }
            return hash.ToHashCode();
        }
    }
}
