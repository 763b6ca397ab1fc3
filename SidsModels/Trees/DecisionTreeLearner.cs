using SidsModels.Common;

namespace SidsModels.Trees;

/// <summary>
/// A CART regression tree with scikit-learn's <c>DecisionTreeRegressor</c> semantics (1.2.1): weighted
/// squared error (or Friedman's score), thresholds halfway between consecutive single-precision values,
/// features whose node range is at most 1e-7 treated as constant, weighted impurity-decrease importances
/// normalised to 1. With the same seed as <c>random_state</c> it grows the same tree.
/// </summary>
public sealed class DecisionTreeLearner : IRegressionLearner
{
    public DecisionTreeLearner(TreeOptions? options = null)
    {
        Options = (options ?? new TreeOptions()).Validated();
    }

    public TreeOptions Options { get; }

    public IRegressionModel Learn(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights, CancellationToken cancellationToken = default) =>
        Fit(x, y, weights, cancellationToken);

    /// <summary>As <see cref="Learn"/>, typed.</summary>
    /// <param name="x">Samples × features, no NaN.</param>
    /// <param name="y">Finite targets.</param>
    /// <param name="weights">Non-negative, or empty for equal weights; rows of weight 0 are ignored.</param>
    public RegressionTree Fit(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var data = new TreeTrainingSet(x, y, Options.Splitter == TreeSplitter.Best);
        var w = SampleWeights.Resolve(weights, x.Rows);
        // scikit-learn: the splitter's state is the first draw of RandomState(random_state).
        var splitterSeed = new NumpyRandomState(unchecked((uint)Options.Seed)).NextSeed();
        return new TreeBuilder(data).Build(w, data.Targets, splitterSeed, TreeParameters.From(Options, x.Columns));
    }
}
