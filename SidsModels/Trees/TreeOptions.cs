namespace SidsModels.Trees;

/// <summary>
/// Hyper-parameters of one regression tree, with scikit-learn's defaults and meaning.
/// </summary>
/// <param name="MaxDepth">Deepest level (root = 0); null grows until leaves are pure or too small.</param>
/// <param name="MinSamplesSplit">A node with fewer (positive-weight) samples is a leaf; at least 2.</param>
/// <param name="MinSamplesLeaf">Each child keeps at least this many samples; at least 1.</param>
/// <param name="MaxFeatures">Features drawn per node; null = all.</param>
/// <param name="Splitter">Best or random thresholds.</param>
/// <param name="Criterion">The impurity to reduce.</param>
/// <param name="Seed">Plays the role of scikit-learn's <c>random_state</c>; it orders the features a node
/// visits, which decides between equally good splits, and draws random thresholds.</param>
public sealed record TreeOptions(
    int? MaxDepth = null,
    int MinSamplesSplit = 2,
    int MinSamplesLeaf = 1,
    MaxFeatures? MaxFeatures = null,
    TreeSplitter Splitter = TreeSplitter.Best,
    SplitCriterion Criterion = SplitCriterion.SquaredError,
    int Seed = 0)
{
    /// <summary>Throws when a value is outside what the algorithm accepts.</summary>
    public TreeOptions Validated()
    {
        if (MaxDepth is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDepth), MaxDepth, "The maximum depth must be at least 1 (or null for unlimited).");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(MinSamplesSplit, 2, nameof(MinSamplesSplit));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinSamplesLeaf, 1, nameof(MinSamplesLeaf));
        if (!Enum.IsDefined(Splitter) || !Enum.IsDefined(Criterion))
        {
            throw new ArgumentOutOfRangeException(nameof(Splitter), "Unknown splitter or criterion.");
        }
        return this;
    }
}
