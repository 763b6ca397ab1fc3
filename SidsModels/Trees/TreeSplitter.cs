namespace SidsModels.Trees;

/// <summary>How a node chooses its split.</summary>
public enum TreeSplitter
{
    /// <summary>The best threshold of each drawn feature (CART, scikit-learn's <c>splitter="best"</c>).</summary>
    Best,

    /// <summary>One uniform threshold between the node's minimum and maximum of each drawn feature (extra trees).</summary>
    Random,
}
