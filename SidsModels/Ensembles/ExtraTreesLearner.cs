using SidsModels.Common;
using SidsModels.Trees;

namespace SidsModels.Ensembles;

/// <summary>
/// Extremely randomised trees as scikit-learn 1.2.1's <c>ExtraTreesRegressor</c>: no bootstrap unless asked
/// (<c>bootstrap=True</c>: each tree on a bootstrap sample, drawn as a random forest's); each node draws one uniform
/// threshold per candidate feature and keeps the best of those. Needs no sorting.
/// </summary>
public sealed class ExtraTreesLearner : IBootstrapForestLearner
{
    public ExtraTreesLearner(ForestOptions? options = null, bool bootstrap = false)
    {
        Options = (options ?? new ForestOptions()).Validated();
        Bootstrap = bootstrap;
    }

    public ForestOptions Options { get; }

    public bool Bootstrap { get; }

    public OutOfBagRows OutOfBag(int rows) => Bootstrap
        ? ForestGrower.OutOfBag(Options, rows)
        : throw new InvalidOperationException("Extra trees grown without bootstrap leave no row out.");

    public IRegressionModel Learn(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights, CancellationToken cancellationToken = default) =>
        Fit(x, y, weights, cancellationToken);

    /// <summary>As <see cref="Learn"/>, typed.</summary>
    public ForestModel Fit(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights, CancellationToken cancellationToken = default) =>
        ForestGrower.Grow(x, y, weights, Options, Splitter, Bootstrap, cancellationToken);

    public int? MaxDepth => Options.MaxDepth;

    public object DepthFamily => (typeof(ExtraTreesLearner), Options with { MaxDepth = null, MaxParallelism = null }, Bootstrap);

    public IReadOnlyList<IRegressionModel> LearnDepths(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights,
        IReadOnlyList<int?> depths, CancellationToken cancellationToken = default) =>
        ForestGrower.GrowDepths(x, y, weights, Options, Splitter, Bootstrap, depths, cancellationToken);

    private TreeSplitter Splitter => Options.VectorisedSplits ? TreeSplitter.RandomVectorised : TreeSplitter.Random;
}
