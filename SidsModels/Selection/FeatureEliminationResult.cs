namespace SidsModels.Selection;

/// <summary>Which features recursive feature elimination kept.</summary>
/// <param name="Support">Per feature: kept.</param>
/// <param name="Ranking">Per feature: 1 for kept features, 2 for the last ones dropped, and so on (scikit-learn's <c>ranking_</c>).</param>
public sealed record FeatureEliminationResult(IReadOnlyList<bool> Support, IReadOnlyList<int> Ranking)
{
    /// <summary>The kept features' indices, ascending.</summary>
    public int[] SelectedFeatures => Enumerable.Range(0, Support.Count).Where(f => Support[f]).ToArray();
}
