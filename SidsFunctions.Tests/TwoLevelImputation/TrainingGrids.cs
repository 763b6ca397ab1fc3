namespace SidsFunctions.Tests.TwoLevelImputation;

/// <summary>
/// The test classes that train the full grid of interpolator × scheme × model × interval: one after the other,
/// not side by side, so that on a shared machine neither starves the other past its client's timeout.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TrainingGrids
{
    public const string Name = "Training grids";
}
