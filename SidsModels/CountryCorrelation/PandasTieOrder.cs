namespace SidsModels.CountryCorrelation;

/// <summary>
/// The order pandas 1.5.3 gives n equal values in <c>Series.sort_values(ascending=False)</c> (its default, numpy's
/// unstable quicksort on an object array): <c>nargsort</c> reverses the values, argsorts them and reverses the
/// result; numpy's introsort (median-of-three partitions above 16 elements, insertion sort below, heapsort past
/// its depth limit) moves equal elements in a fixed pattern. Checked against pandas for n up to 300.
/// </summary>
internal static class PandasTieOrder
{
    private const int SmallPartition = 15;

    /// <summary>Positions 0..n−1 in the order pandas lists n equal values sorted descending.</summary>
    public static int[] Descending(int n)
    {
        var sorted = ArgsortOfEqualKeys(n);
        var order = new int[n];
        for (var k = 0; k < n; k++)
        {
            // nargsort: indices of the reversed array, mapped back, then the whole order reversed.
            order[k] = n - 1 - sorted[n - 1 - k];
        }
        return order;
    }

    /// <summary>numpy's <c>argsort(kind="quicksort")</c> of n equal keys: no comparison is ever "less".</summary>
    private static int[] ArgsortOfEqualKeys(int n)
    {
        var t = new int[n];
        for (var i = 0; i < n; i++)
        {
            t[i] = i;
        }
        if (n < 2)
        {
            return t;
        }
        var stack = new Stack<(int Low, int High, int Depth)>();
        int low = 0, high = n - 1, depth = 2 * MostSignificantBit(n);
        while (true)
        {
            if (depth < 0)
            {
                HeapsortOfEqualKeys(t, low, high - low + 1);
            }
            else
            {
                while (high - low > SmallPartition)
                {
                    // Median of three moves nothing; the pivot goes next to the end.
                    var middle = low + ((high - low) >> 1);
                    var i = low;
                    var j = high - 1;
                    (t[middle], t[j]) = (t[j], t[middle]);
                    while (true)
                    {
                        i++;
                        j--;
                        if (i >= j)
                        {
                            break;
                        }
                        (t[i], t[j]) = (t[j], t[i]);
                    }
                    (t[i], t[high - 1]) = (t[high - 1], t[i]);
                    depth--;
                    if (i - low < high - i)
                    {
                        stack.Push((i + 1, high, depth));
                        high = i - 1;
                    }
                    else
                    {
                        stack.Push((low, i - 1, depth));
                        low = i + 1;
                    }
                }
                // Insertion sort moves nothing among equal keys.
            }
            if (stack.Count == 0)
            {
                break;
            }
            (low, high, depth) = stack.Pop();
        }
        return t;
    }

    /// <summary>numpy's <c>aheapsort</c> of equal keys: building the heap moves nothing; each step swaps the root and the last.</summary>
    private static void HeapsortOfEqualKeys(int[] t, int start, int count)
    {
        for (var last = count; last > 1; last--)
        {
            var root = t[start];
            t[start] = t[start + last - 1];
            t[start + last - 1] = root;
        }
    }

    private static int MostSignificantBit(int n)
    {
        var bit = 0;
        while (n > 1)
        {
            n >>= 1;
            bit++;
        }
        return bit;
    }
}
