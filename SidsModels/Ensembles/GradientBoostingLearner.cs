using SidsModels.Common;
using SidsModels.Trees;

namespace SidsModels.Ensembles;

/// <summary>
/// Gradient boosting of regression trees as scikit-learn 1.2.1's <c>GradientBoostingRegressor</c>
/// (no subsampling): start from the loss's constant, then each stage fits a Friedman-MSE tree to the
/// negative gradient, optionally re-estimates its leaves (quantile loss), and adds it shrunk by the
/// learning rate. Stages are sequential by nature; the training matrix is sorted once for all of them.
/// With the same seed as <c>random_state</c> the model equals scikit-learn's.
/// </summary>
public sealed class GradientBoostingLearner : IDepthGridLearner
{
    public GradientBoostingLearner(BoostingOptions? options = null)
    {
        Options = (options ?? new BoostingOptions()).Validated();
    }

    public BoostingOptions Options { get; }

    public IRegressionModel Learn(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights, CancellationToken cancellationToken = default) =>
        Fit(x, y, weights, cancellationToken);

    /// <summary>
    /// Depth limits from which boosters of a grid are learned in a chain (the next limit only when the previous one
    /// cut some stage's tree): below it a booster's trees are nearly always cut, and chaining would only serialise
    /// the grid's work.
    /// </summary>
    public const int ChainedDepths = 20;

    /// <summary>As <see cref="Learn"/>, typed.</summary>
    public GradientBoostingModel Fit(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights, CancellationToken cancellationToken = default) =>
        Fit(x, y, weights, Options, cancellationToken).Model;

    public int? MaxDepth => Options.MaxDepth;

    public object DepthFamily => (typeof(GradientBoostingLearner), Options with { MaxDepth = null },
        Options.MaxDepth is null || Options.MaxDepth >= ChainedDepths ? (int?)null : Options.MaxDepth);

    /// <summary>
    /// A booster whose stages' trees its depth limit never cut is exactly the booster of any larger limit (each
    /// stage's tree, hence each next gradient, is the same): it is reused for the next depth instead of learned again.
    /// </summary>
    public IReadOnlyList<IRegressionModel> LearnDepths(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights,
        IReadOnlyList<int?> depths, CancellationToken cancellationToken = default)
    {
        var models = new IRegressionModel[depths.Count];
        var limited = true;
        for (var d = 0; d < depths.Count; d++)
        {
            if (d > 0 && (depths[d] ?? int.MaxValue) < (depths[d - 1] ?? int.MaxValue))
            {
                throw new ArgumentException("Depths must be ascending (null, unlimited, last).", nameof(depths));
            }
            if (!limited)
            {
                models[d] = models[d - 1];
                continue;
            }
            (models[d], limited) = Fit(x, y, weights, (Options with { MaxDepth = depths[d] }).Validated(), cancellationToken);
        }
        return models;
    }

    private static (GradientBoostingModel Model, bool DepthLimited) Fit(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights,
        BoostingOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var loss = options.EffectiveLoss;
        var data = new TreeTrainingSet(x, y, presort: true);
        var w = SampleWeights.Resolve(weights, x.Rows);
        var n = x.Rows;
        var targets = data.Targets;
        var initial = loss.InitialEstimate(targets, w, weighted: !weights.IsEmpty);
        var raw = new double[n];
        Array.Fill(raw, initial);

        var parameters = TreeParameters.From(options.TreeOptions(), x.Columns);
        // One RandomState for all stages: each tree's splitter draws its seed from it in turn.
        var random = new NumpyRandomState(unchecked((uint)options.Seed));
        var builder = new TreeBuilder(data);
        var residual = new double[n];
        var leaves = new int[n];
        var differences = new double[n];
        var leafWeights = new double[n];
        var trees = new RegressionTree[options.Estimators];
        var depthLimited = false;
        for (var stage = 0; stage < trees.Length; stage++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            loss.NegativeGradient(targets, raw, residual);
            var tree = builder.Build(w, residual, random.NextSeed(), parameters);
            depthLimited |= builder.DepthLimited;
            for (var r = 0; r < n; r++)
            {
                leaves[r] = tree.LeafOf(x.Row(r));
            }
            if (loss.ReestimatesLeaves)
            {
                tree = tree.WithValues(LeafValues(tree, loss, leaves, targets, raw, w, differences, leafWeights));
            }
            for (var r = 0; r < n; r++)
            {
                raw[r] += options.LearningRate * tree.NodeValue(leaves[r]);
            }
            trees[stage] = tree;
        }
        return (new GradientBoostingModel(x.Columns, initial, options.LearningRate, trees, loss), depthLimited);
    }

    /// <summary>Each leaf's value from the rows that fall in it, in row order (rows bucketed by leaf once: one pass, not one per leaf).</summary>
    private static double[] LeafValues(RegressionTree tree, BoostingLoss loss, int[] leaves, double[] y, double[] raw,
        double[] weights, double[] differences, double[] leafWeights)
    {
        var values = tree.CopyValues();
        var starts = new int[tree.NodeCount + 1];
        foreach (var leaf in leaves)
        {
            starts[leaf + 1]++;
        }
        for (var node = 0; node < tree.NodeCount; node++)
        {
            starts[node + 1] += starts[node];
        }
        var next = starts.AsSpan(0, tree.NodeCount).ToArray();
        for (var r = 0; r < leaves.Length; r++)
        {
            var at = next[leaves[r]]++;
            differences[at] = y[r] - raw[r];
            leafWeights[at] = weights[r];
        }
        for (var node = 0; node < tree.NodeCount; node++)
        {
            var count = starts[node + 1] - starts[node];
            if (tree.LeftChild(node) == RegressionTree.Leaf && count > 0)
            {
                values[node] = loss.LeafValue(differences.AsSpan(starts[node], count), leafWeights.AsSpan(starts[node], count));
            }
        }
        return values;
    }
}
