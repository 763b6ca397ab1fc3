using SidsModels.Common;

namespace SidsModels.Selection;

/// <summary>One learner of a grid: a name, the learner cross-validated, and its parameter values for reporting.</summary>
/// <param name="Refit">What is learned on all rows when this candidate wins, if not <paramref name="Learner"/> itself
/// (a forest scored by fewer of its trees than it is refitted with).</param>
public sealed record GridCandidate(string Name, IRegressionLearner Learner, IReadOnlyDictionary<string, object?> Parameters,
    IRegressionLearner? Refit = null)
{
    /// <summary>The learner of the model the search returns.</summary>
    public IRegressionLearner FinalLearner => Refit ?? Learner;
}
