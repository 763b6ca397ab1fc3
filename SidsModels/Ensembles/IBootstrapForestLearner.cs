namespace SidsModels.Ensembles;

/// <summary>
/// A forest learner whose trees can each grow on a bootstrap sample drawn from the tree's seed, so that the rows each
/// tree left out can be redrawn without the forest (<see cref="OutOfBagRows"/>): what an out-of-bag search needs.
/// </summary>
public interface IBootstrapForestLearner : IDepthGridLearner
{
    ForestOptions Options { get; }

    /// <summary>Whether its trees grow on bootstrap samples (always, for a random forest).</summary>
    bool Bootstrap { get; }

    /// <summary>The rows each tree of this learner's forest on <paramref name="rows"/> training rows leaves out of its
    /// bootstrap sample; only when <see cref="Bootstrap"/>.</summary>
    OutOfBagRows OutOfBag(int rows);
}
