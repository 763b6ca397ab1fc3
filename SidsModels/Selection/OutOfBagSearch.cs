using SidsModels.Common;
using SidsModels.Ensembles;

namespace SidsModels.Selection;

/// <summary>
/// A depth grid of bootstrapped forests (random forests; extra trees with bootstrap) scored out of bag instead of by
/// cross-validation: every candidate's forest is learned once, on all rows (the depths together, as <see cref="GridSearch"/>'s folds learn them), and each row is
/// predicted by the trees whose bootstrap left it out — held-out predictions with no fold models and no refit, about
/// a sixth of a 5-fold grid's work. The result has <see cref="GridSearch"/>'s shape: a candidate's "fold" scores are
/// the out-of-bag mean squared errors of each fold's held-out rows (<paramref name="folds"/>: the folds the answer
/// reports), its mean their mean; the lowest mean wins, ties to the earlier candidate; the best model is the winner's
/// forest on all rows, the same forest its learner learns alone.
/// </summary>
public static class OutOfBagSearch
{
    /// <summary>Fewer trees leave each row to too few out-of-bag trees (about 37% of them) to score or bound it.</summary>
    public const int MinimumTrees = 50;

    /// <param name="candidates">Random forests of one family (<see cref="IDepthGridLearner.DepthFamily"/>), at least
    /// <see cref="MinimumTrees"/> trees, differing in their depth only; each learned by its <see cref="GridCandidate.FinalLearner"/>.</param>
    public static GridSearchResult Run(IReadOnlyList<GridCandidate> candidates, FeatureMatrix x, ReadOnlySpan<double> y,
        ReadOnlySpan<double> weights, IReadOnlyList<Fold> folds, CancellationToken cancellationToken = default)
    {
        if (candidates.Count == 0)
        {
            throw new ArgumentException("An out-of-bag search needs at least one candidate.", nameof(candidates));
        }
        var learners = candidates.Select(c => c.FinalLearner is IBootstrapForestLearner { Bootstrap: true } learner ? learner
            : throw new ArgumentException($"{c.Name} is not a bootstrapped forest: it has no out-of-bag rows.", nameof(candidates))).ToArray();
        if (learners.Any(l => !Equals(l.DepthFamily, learners[0].DepthFamily)) || learners[0].Options.Trees < MinimumTrees)
        {
            throw new ArgumentException($"An out-of-bag search needs bootstrapped forests of one family with at least {MinimumTrees} trees.", nameof(candidates));
        }
        var order = Enumerable.Range(0, learners.Length).OrderBy(c => learners[c].MaxDepth ?? int.MaxValue).ToArray();
        var grown = learners.Length == 1
            ? [learners[0].Learn(x, y, weights, cancellationToken)]
            : learners[0].LearnDepths(x, y, weights, order.Select(c => learners[c].MaxDepth).ToArray(), cancellationToken);
        var models = new IRegressionModel[learners.Length];
        for (var i = 0; i < order.Length; i++)
        {
            models[order[i]] = grown[i];
        }

        var outOfBag = learners[0].OutOfBag(x.Rows);
        var targets = y.ToArray();
        var predictions = new double[candidates.Count][];
        var scores = new double[candidates.Count][];
        CrossValidation.For(candidates.Count, CrossValidation.Options(cancellationToken, null), c =>
        {
            predictions[c] = outOfBag.Predictions(((ITreeEnsembleModel)models[c]).PredictPerTree(x));
            scores[c] = new double[folds.Count];
            for (var k = 0; k < folds.Count; k++)
            {
                scores[c][k] = GridSearchResult.FoldMse(targets, predictions[c], folds[k].Test);
            }
        });
        var (means, best) = GridSearchResult.Rank(scores);
        return new GridSearchResult(candidates, best, means, scores, models[best], predictions);
    }
}
