using SidsModels.Common;

namespace SidsModels.Selection;

/// <summary>One learner of a grid: a name, the learner, and its parameter values for reporting.</summary>
public sealed record GridCandidate(string Name, IRegressionLearner Learner, IReadOnlyDictionary<string, object?> Parameters);
