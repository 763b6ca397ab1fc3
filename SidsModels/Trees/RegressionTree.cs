using SidsModels.Common;

namespace SidsModels.Trees;

/// <summary>
/// A fitted regression tree in flat arrays (node i: feature, threshold, children, value), immutable and
/// safe to share between threads. A row goes left when its feature value, rounded to single precision as
/// scikit-learn does, is at most the node's threshold. Rows must be complete: a NaN goes right.
/// </summary>
public sealed class RegressionTree : IRegressionModel
{
    /// <summary>Child index of a leaf.</summary>
    public const int Leaf = -1;

    private readonly int[] feature;
    private readonly double[] threshold;
    private readonly int[] left;
    private readonly int[] right;
    private readonly double[] value;
    private readonly double[] impurity;
    private readonly double[] weightedSamples;
    private readonly double[] importances;
    private readonly double[] rawImportances;

    internal RegressionTree(int featureCount, int[] feature, double[] threshold, int[] left, int[] right,
        double[] value, double[] impurity, double[] weightedSamples)
    {
        FeatureCount = featureCount;
        this.feature = feature;
        this.threshold = threshold;
        this.left = left;
        this.right = right;
        this.value = value;
        this.impurity = impurity;
        this.weightedSamples = weightedSamples;
        rawImportances = ComputeRawImportances();
        importances = Normalised(rawImportances);
    }

    public int FeatureCount { get; }

    public int NodeCount => feature.Length;

    /// <summary>Length of the longest root-to-leaf path (a lone root has depth 0).</summary>
    public int Depth
    {
        get
        {
            var max = 0;
            foreach (var depth in NodeDepths())
            {
                max = Math.Max(max, depth);
            }
            return max;
        }
    }

    /// <summary>Each node's depth (the root's is 0).</summary>
    private int[] NodeDepths()
    {
        var depth = new int[NodeCount];
        for (var node = 0; node < NodeCount; node++)
        {
            if (left[node] != Leaf)
            {
                // Children are always numbered after their parent.
                depth[left[node]] = depth[node] + 1;
                depth[right[node]] = depth[node] + 1;
            }
        }
        return depth;
    }

    public IReadOnlyList<double> FeatureImportances => Array.AsReadOnly(importances);

    /// <summary>Impurity decrease per feature before normalisation (what boosting averages).</summary>
    internal ReadOnlySpan<double> RawImportances => rawImportances;

    public double Predict(ReadOnlySpan<double> row) => value[LeafOf(row)];

    /// <summary>The index of the leaf <paramref name="row"/> falls in.</summary>
    public int LeafOf(ReadOnlySpan<double> row)
    {
        if (row.Length != FeatureCount)
        {
            throw new ArgumentException($"Expected {FeatureCount} features, got {row.Length}.", nameof(row));
        }
        var node = 0;
        while (left[node] != Leaf)
        {
            node = (float)row[feature[node]] <= threshold[node] ? left[node] : right[node];
        }
        return node;
    }

    /// <summary>Node value (the weighted mean of its training targets, or what boosting set for a leaf).</summary>
    public double NodeValue(int node) => value[node];

    /// <summary>Split feature of an internal node; -1 for a leaf.</summary>
    public int NodeFeature(int node) => left[node] == Leaf ? -1 : feature[node];

    public double NodeThreshold(int node) => threshold[node];

    public int LeftChild(int node) => left[node];

    public int RightChild(int node) => right[node];

    /// <summary>The same tree with new leaf values (boosting's line search for the quantile loss).</summary>
    internal RegressionTree WithValues(double[] newValues) =>
        new(FeatureCount, feature, threshold, left, right, newValues, impurity, weightedSamples);

    internal double[] CopyValues() => (double[])value.Clone();

    /// <summary>
    /// The tree cut at <paramref name="maxDepth"/>: its nodes down to that depth, in the same order, those at the
    /// depth made leaves (each keeps its value, impurity and weight). What growing with that depth limit gives
    /// when every split above it would be chosen the same (one feature, best splitter).
    /// </summary>
    internal RegressionTree Truncated(int maxDepth)
    {
        var depth = NodeDepths();
        var newId = new int[NodeCount];
        var kept = 0;
        for (var node = 0; node < NodeCount; node++)
        {
            // Preorder: the kept nodes keep their order.
            newId[node] = depth[node] <= maxDepth ? kept++ : Leaf;
        }
        var f = new int[kept];
        var th = new double[kept];
        var l = new int[kept];
        var r = new int[kept];
        var v = new double[kept];
        var im = new double[kept];
        var ws = new double[kept];
        for (var node = 0; node < NodeCount; node++)
        {
            var id = newId[node];
            if (id == Leaf)
            {
                continue;
            }
            var cut = left[node] == Leaf || depth[node] == maxDepth;
            f[id] = cut ? 0 : feature[node];
            th[id] = cut ? -2.0 : threshold[node];
            l[id] = cut ? Leaf : newId[left[node]];
            r[id] = cut ? Leaf : newId[right[node]];
            v[id] = value[node];
            im[id] = impurity[node];
            ws[id] = weightedSamples[node];
        }
        return new RegressionTree(FeatureCount, f, th, l, r, v, im, ws);
    }

    private double[] ComputeRawImportances()
    {
        var result = new double[FeatureCount];
        for (var node = 0; node < NodeCount; node++)
        {
            if (left[node] != Leaf)
            {
                int l = left[node], r = right[node];
                result[feature[node]] += weightedSamples[node] * impurity[node]
                    - weightedSamples[l] * impurity[l]
                    - weightedSamples[r] * impurity[r];
            }
        }
        var root = weightedSamples.Length > 0 ? weightedSamples[0] : 0;
        for (var f = 0; f < result.Length; f++)
        {
            result[f] /= root;
        }
        return result;
    }

    private static double[] Normalised(double[] raw)
    {
        var result = (double[])raw.Clone();
        var sum = NumpySum.Pairwise(result);
        if (sum > 0)
        {
            for (var f = 0; f < result.Length; f++)
            {
                result[f] /= sum;
            }
        }
        return result;
    }
}
