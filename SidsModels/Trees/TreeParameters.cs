namespace SidsModels.Trees;

/// <summary>Resolved tree hyper-parameters for one training matrix.</summary>
internal readonly record struct TreeParameters(
    int MaxDepth,
    int MinSamplesSplit,
    int MinSamplesLeaf,
    int MaxFeatures,
    TreeSplitter Splitter,
    SplitCriterion Criterion)
{
    public static TreeParameters From(TreeOptions options, int features) => new(
        options.MaxDepth ?? int.MaxValue,
        // As scikit-learn: a node that cannot give both children MinSamplesLeaf samples is a leaf.
        Math.Max(options.MinSamplesSplit, 2 * options.MinSamplesLeaf),
        options.MinSamplesLeaf,
        (options.MaxFeatures ?? Trees.MaxFeatures.All).Resolve(features),
        options.Splitter == TreeSplitter.RandomVectorised && options.MinSamplesLeaf > 1 ? TreeSplitter.Random : options.Splitter,
        options.Criterion);
}
