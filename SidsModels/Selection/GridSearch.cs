using SidsModels.Common;
using SidsModels.Ensembles;

namespace SidsModels.Selection;

/// <summary>
/// Exhaustive (or, on request, stopped at the first worse depth) search over candidate learners with cross-validation, as scikit-learn's <c>GridSearchCV</c>
/// with <c>scoring="neg_mean_squared_error"</c> and <c>refit=True</c>: each candidate learns on each fold's
/// training rows (with their sample weights), is scored by the unweighted MSE of the held-out rows, and
/// the lowest mean wins, ties to the earlier candidate. Candidates × folds run in parallel; results are
/// stored by index, so they do not depend on scheduling. Candidates that differ only in their depth limit
/// (<see cref="IDepthGridLearner"/>: forests) are learned together on each fold, which grows each tree once for
/// every limit that does not cut it; each model is still exactly the one its candidate learns alone. The winner is
/// learned again on all rows by its <see cref="GridCandidate.FinalLearner"/> (the only candidate of a grid of one: beside its folds).
/// </summary>
public static class GridSearch
{
    /// <param name="weights">Sample weights passed (sliced) to every fit and to the refit, or empty.</param>
    /// <param name="maxParallelism">Fits run at once; null = one per processor.</param>
    /// <param name="foldSummary">Computed from each fold model and its held-out rows, kept in
    /// <see cref="GridSearchResult.FoldSummaries"/> (the fold models themselves are not kept).</param>
    /// <param name="stopAtWorseDepth">Search the candidates' depth groups one after another, in the order given (ascending
    /// depth), and stop after the first whose best mean is not lower than the best before it: the candidates never
    /// learned score +∞ on every fold and have no held-out predictions (NaN).</param>
    public static GridSearchResult Run(IReadOnlyList<GridCandidate> candidates, FeatureMatrix x, ReadOnlySpan<double> y,
        ReadOnlySpan<double> weights, IReadOnlyList<Fold> folds, CancellationToken cancellationToken = default,
        int? maxParallelism = null, Func<IRegressionModel, FeatureMatrix, object?>? foldSummary = null, bool stopAtWorseDepth = false)
    {
        if (candidates.Count == 0)
        {
            throw new ArgumentException("A grid search needs at least one candidate.", nameof(candidates));
        }
        if (folds.Count == 0)
        {
            throw new ArgumentException("A grid search needs at least one fold.", nameof(folds));
        }
        var data = FoldData.Slice(folds, x, y, weights);
        var targets = y.ToArray();
        var scores = new double[candidates.Count][];
        var outOfFold = new double[candidates.Count][];
        for (var c = 0; c < candidates.Count; c++)
        {
            scores[c] = new double[folds.Count];
            outOfFold[c] = new double[x.Rows];
            Array.Fill(outOfFold[c], double.NaN);
        }

        var summaries = new object?[candidates.Count][];
        for (var c = 0; c < candidates.Count; c++)
        {
            summaries[c] = new object?[folds.Count];
        }
        void Score(int c, int k, IRegressionModel model)
        {
            var fold = data[k];
            var test = fold.Fold.Test;
            for (var i = 0; i < test.Length; i++)
            {
                outOfFold[c][test[i]] = model.Predict(fold.TestX.Row(i));
            }
            scores[c][k] = GridSearchResult.FoldMse(targets, outOfFold[c], test);
            summaries[c][k] = foldSummary?.Invoke(model, fold.TestX);
        }

        var groups = DepthGroups(candidates);
        // With one candidate the winner is known before any fold is scored: its final model is learned beside the folds
        // (a booster's fits are sequential, so on 2 cores 5 folds and the refit take 3 rounds of fits instead of 4).
        var refitBeside = candidates.Count == 1 ? 1 : 0;
        var allWeights = refitBeside == 1 ? weights.ToArray() : [];
        IRegressionModel? refitted = null;
        var rounds = stopAtWorseDepth ? groups.Select(g => new List<int[]> { g }).ToList() : [groups];
        var bestSoFar = double.PositiveInfinity;
        var searched = 0;
        foreach (var round in rounds)
        {
            CrossValidation.For(refitBeside + round.Count * folds.Count, CrossValidation.Options(cancellationToken, maxParallelism), job =>
            {
                if (job < refitBeside)
                {
                    // First: on all rows, the longest fit.
                    refitted = candidates[0].FinalLearner.Learn(x, targets, allWeights, cancellationToken);
                    return;
                }
                var task = job - refitBeside;
                var group = round[task / folds.Count];
                var k = task % folds.Count;
                var fold = data[k];
                if (group.Length == 1)
                {
                    Score(group[0], k, candidates[group[0]].Learner.Learn(fold.TrainX, fold.TrainY, fold.TrainWeights, cancellationToken));
                    return;
                }
                var learner = (IDepthGridLearner)candidates[group[0]].Learner;
                var models = learner.LearnDepths(fold.TrainX, fold.TrainY, fold.TrainWeights,
                    group.Select(c => ((IDepthGridLearner)candidates[c].Learner).MaxDepth).ToArray(), cancellationToken);
                for (var i = 0; i < group.Length; i++)
                {
                    Score(group[i], k, models[i]);
                }
            });
            searched += round.Count;
            if (stopAtWorseDepth)
            {
                var roundBest = round.SelectMany(g => g).Min(c => GridSearchResult.Mean(scores[c]));
                if (!(roundBest < bestSoFar))
                {
                    break;
                }
                bestSoFar = roundBest;
            }
        }
        foreach (var c in groups.Skip(searched).SelectMany(g => g))
        {
            Array.Fill(scores[c], double.PositiveInfinity);
        }

        var (means, best) = GridSearchResult.Rank(scores);
        cancellationToken.ThrowIfCancellationRequested();
        var bestModel = refitted ?? candidates[best].FinalLearner.Learn(x, y, weights, cancellationToken);
        return new GridSearchResult(candidates, best, means, scores, bestModel, outOfFold, summaries);
    }

    /// <summary>Candidate indices learned together: depth-grid learners of one family in ascending depth, others alone.</summary>
    private static List<int[]> DepthGroups(IReadOnlyList<GridCandidate> candidates)
    {
        static int Limit(GridCandidate candidate) => ((IDepthGridLearner)candidate.Learner).MaxDepth ?? int.MaxValue;
        var groups = new List<List<int>>();
        var families = new Dictionary<object, int>();
        for (var c = 0; c < candidates.Count; c++)
        {
            if (candidates[c].Learner is not IDepthGridLearner grid)
            {
                groups.Add([c]);
                continue;
            }
            if (!families.TryGetValue(grid.DepthFamily, out var g))
            {
                g = groups.Count;
                families[grid.DepthFamily] = g;
                groups.Add([]);
            }
            groups[g].Add(c);
        }
        return groups.Select(g => g.Count == 1 ? g.ToArray() : g.OrderBy(c => Limit(candidates[c])).ToArray()).ToList();
    }
}
