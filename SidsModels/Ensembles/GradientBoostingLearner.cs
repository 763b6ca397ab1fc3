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
public sealed class GradientBoostingLearner : IRegressionLearner
{
    public GradientBoostingLearner(BoostingOptions? options = null)
    {
        Options = (options ?? new BoostingOptions()).Validated();
    }

    public BoostingOptions Options { get; }

    public IRegressionModel Learn(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights, CancellationToken cancellationToken = default) =>
        Fit(x, y, weights, cancellationToken);

    /// <summary>As <see cref="Learn"/>, typed.</summary>
    public GradientBoostingModel Fit(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var loss = Options.EffectiveLoss;
        var data = new TreeTrainingSet(x, y, presort: true);
        var w = SampleWeights.Resolve(weights, x.Rows);
        var n = x.Rows;
        var targets = data.Targets;
        var initial = loss.InitialEstimate(targets, w, weighted: !weights.IsEmpty);
        var raw = new double[n];
        Array.Fill(raw, initial);

        var parameters = TreeParameters.From(Options.TreeOptions(), x.Columns);
        // One RandomState for all stages: each tree's splitter draws its seed from it in turn.
        var random = new NumpyRandomState(unchecked((uint)Options.Seed));
        var builder = new TreeBuilder(data);
        var residual = new double[n];
        var leaves = new int[n];
        var differences = new double[n];
        var leafWeights = new double[n];
        var trees = new RegressionTree[Options.Estimators];
        for (var stage = 0; stage < trees.Length; stage++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            loss.NegativeGradient(targets, raw, residual);
            var tree = builder.Build(w, residual, random.NextSeed(), parameters);
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
                raw[r] += Options.LearningRate * tree.NodeValue(leaves[r]);
            }
            trees[stage] = tree;
        }
        return new GradientBoostingModel(x.Columns, initial, Options.LearningRate, trees, loss);
    }

    /// <summary>Each leaf's value from the rows that fall in it, in row order.</summary>
    private static double[] LeafValues(RegressionTree tree, BoostingLoss loss, int[] leaves, double[] y, double[] raw,
        double[] weights, double[] differences, double[] leafWeights)
    {
        var values = tree.CopyValues();
        for (var node = 0; node < tree.NodeCount; node++)
        {
            if (tree.LeftChild(node) != RegressionTree.Leaf)
            {
                continue;
            }
            var count = 0;
            for (var r = 0; r < leaves.Length; r++)
            {
                if (leaves[r] == node)
                {
                    differences[count] = y[r] - raw[r];
                    leafWeights[count] = weights[r];
                    count++;
                }
            }
            if (count > 0)
            {
                values[node] = loss.LeafValue(differences.AsSpan(0, count), leafWeights.AsSpan(0, count));
            }
        }
        return values;
    }
}
