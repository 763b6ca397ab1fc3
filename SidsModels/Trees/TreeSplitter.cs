namespace SidsModels.Trees;

/// <summary>How a node chooses its split.</summary>
public enum TreeSplitter
{
    /// <summary>The best threshold of each drawn feature (CART, scikit-learn's <c>splitter="best"</c>).</summary>
    Best,

    /// <summary>One uniform threshold between the node's minimum and maximum of each drawn feature (extra trees).</summary>
    Random,

    /// <summary>
    /// As <see cref="Random"/> (the same draws, the same thresholds), with every drawn feature scored in one pass
    /// over the node's rows, vectorised across features: the criterion's sums are added in row order instead of
    /// the order scikit-learn's partitions leave, so values can differ in their last bits and a near-tie between
    /// two features may settle the other way. Several times faster on wide tables. With
    /// <c>MinSamplesLeaf</c> above 1 it is <see cref="Random"/>.
    /// </summary>
    RandomVectorised,
}
