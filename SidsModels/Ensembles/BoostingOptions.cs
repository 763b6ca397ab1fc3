using SidsModels.Trees;

namespace SidsModels.Ensembles;

/// <summary>
/// Hyper-parameters of gradient boosting with scikit-learn's defaults (<c>GradientBoostingRegressor</c>).
/// </summary>
/// <param name="Estimators">Boosting stages (one tree each).</param>
/// <param name="LearningRate">Shrinkage of each tree's contribution; positive.</param>
/// <param name="MaxDepth">Depth of each tree; null = unlimited.</param>
/// <param name="Loss">Squared error (default) or quantile(alpha).</param>
/// <param name="Seed">As <c>random_state</c>: orders the features each node visits (ties between splits).</param>
/// <param name="MaxFeatures">Features drawn per node; null = all.</param>
/// <param name="MinSamplesSplit">At least 2.</param>
/// <param name="MinSamplesLeaf">At least 1.</param>
public sealed record BoostingOptions(
    int Estimators = 100,
    double LearningRate = 0.1,
    int? MaxDepth = 3,
    BoostingLoss? Loss = null,
    int Seed = 0,
    MaxFeatures? MaxFeatures = null,
    int MinSamplesSplit = 2,
    int MinSamplesLeaf = 1)
{
    public BoostingLoss EffectiveLoss => Loss ?? BoostingLoss.SquaredError;

    public BoostingOptions Validated()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Estimators, 1, nameof(Estimators));
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive.");
        }
        TreeOptions().Validated();
        return this;
    }

    internal TreeOptions TreeOptions() =>
        new(MaxDepth, MinSamplesSplit, MinSamplesLeaf, MaxFeatures, TreeSplitter.Best, SplitCriterion.FriedmanMse, Seed);
}
