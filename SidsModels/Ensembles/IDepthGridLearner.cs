using SidsModels.Common;

namespace SidsModels.Ensembles;

/// <summary>
/// A learner that can learn itself at several depth limits at once, sharing the work between them (a grid over
/// <c>max_depth</c>). Each model must be exactly what the learner with that depth limit learns alone.
/// </summary>
public interface IDepthGridLearner : IRegressionLearner
{
    int? MaxDepth { get; }

    /// <summary>Equal for learners that differ at most in their depth limit (and parallelism, which changes no result).</summary>
    object DepthFamily { get; }

    /// <summary>One model per depth of <paramref name="depths"/> (ascending, null = unlimited last), in that order.</summary>
    IReadOnlyList<IRegressionModel> LearnDepths(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights,
        IReadOnlyList<int?> depths, CancellationToken cancellationToken = default);
}
