using SidsModels.Trees;

namespace SidsModels.Ensembles;

/// <summary>
/// Hyper-parameters of a random forest or an extra-trees ensemble, with scikit-learn's defaults for
/// regressors (all features per split since scikit-learn 1.1).
/// </summary>
/// <param name="Trees">Number of trees; at least 1.</param>
/// <param name="MaxDepth">Depth limit of each tree; null = unlimited.</param>
/// <param name="Seed">As <c>random_state</c>: the same seed grows the same trees as scikit-learn.</param>
/// <param name="MaxFeatures">Features drawn per node; null = all.</param>
/// <param name="MinSamplesSplit">At least 2.</param>
/// <param name="MinSamplesLeaf">At least 1.</param>
/// <param name="MaxParallelism">Trees grown at once; null = one per processor. Results do not depend on it.</param>
/// <param name="VectorisedSplits">Extra trees only: score a node's features in one vectorised pass
/// (<see cref="TreeSplitter.RandomVectorised"/>), equal to scikit-learn's trees up to rounding rather than exactly.</param>
public sealed record ForestOptions(
    int Trees = 100,
    int? MaxDepth = null,
    int Seed = 0,
    MaxFeatures? MaxFeatures = null,
    int MinSamplesSplit = 2,
    int MinSamplesLeaf = 1,
    int? MaxParallelism = null,
    bool VectorisedSplits = false)
{
    public ForestOptions Validated()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Trees, 1, nameof(Trees));
        if (MaxParallelism is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxParallelism), MaxParallelism, "Parallelism must be at least 1.");
        }
        TreeOptions(TreeSplitter.Best).Validated();
        return this;
    }

    internal TreeOptions TreeOptions(TreeSplitter splitter) =>
        new(MaxDepth, MinSamplesSplit, MinSamplesLeaf, MaxFeatures, splitter, SplitCriterion.SquaredError, Seed);

    internal int Parallelism => Math.Min(Trees, MaxParallelism ?? Environment.ProcessorCount);
}
