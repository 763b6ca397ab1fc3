using SidsModels.Common;
using SidsModels.Trees;

namespace SidsModels.Ensembles;

/// <summary>
/// A random forest of regression trees as scikit-learn 1.2.1's <c>RandomForestRegressor</c>: each tree
/// grows on a bootstrap sample (sample weights × bootstrap counts), with the best splitter and, by default,
/// all features; the forest predicts the mean of its trees. Same seed as <c>random_state</c> → same forest.
/// </summary>
public sealed class RandomForestLearner : IBootstrapForestLearner
{
    public RandomForestLearner(ForestOptions? options = null)
    {
        Options = (options ?? new ForestOptions()).Validated();
    }

    public ForestOptions Options { get; }

    public IRegressionModel Learn(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights, CancellationToken cancellationToken = default) =>
        Fit(x, y, weights, cancellationToken);

    /// <summary>As <see cref="Learn"/>, typed.</summary>
    public ForestModel Fit(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights, CancellationToken cancellationToken = default) =>
        ForestGrower.Grow(x, y, weights, Options, TreeSplitter.Best, bootstrap: true, cancellationToken);

    public int? MaxDepth => Options.MaxDepth;

    public bool Bootstrap => true;

    public OutOfBagRows OutOfBag(int rows) => ForestGrower.OutOfBag(Options, rows);

    public object DepthFamily => (typeof(RandomForestLearner), Options with { MaxDepth = null, MaxParallelism = null });

    public IReadOnlyList<IRegressionModel> LearnDepths(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights,
        IReadOnlyList<int?> depths, CancellationToken cancellationToken = default) =>
        ForestGrower.GrowDepths(x, y, weights, Options, TreeSplitter.Best, bootstrap: true, depths, cancellationToken);
}
