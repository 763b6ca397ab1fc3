using SidsModels.Common;
using SidsModels.Trees;

namespace SidsModels.Selection;

/// <summary>
/// Exhaustive search over candidate learners with cross-validation, as scikit-learn's <c>GridSearchCV</c>
/// with <c>scoring="neg_mean_squared_error"</c> and <c>refit=True</c>: each candidate learns on each fold's
/// training rows (with their sample weights), is scored by the unweighted MSE of the held-out rows, and
/// the lowest mean wins, ties to the earlier candidate. Candidates × folds run in parallel; results are
/// stored by index, so they do not depend on scheduling.
/// </summary>
public static class GridSearch
{
    /// <param name="weights">Sample weights passed (sliced) to every fit and to the refit, or empty.</param>
    /// <param name="maxParallelism">Fits run at once; null = one per processor.</param>
    public static GridSearchResult Run(IReadOnlyList<GridCandidate> candidates, FeatureMatrix x, ReadOnlySpan<double> y,
        ReadOnlySpan<double> weights, IReadOnlyList<Fold> folds, CancellationToken cancellationToken = default,
        int? maxParallelism = null)
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

        CrossValidation.For(candidates.Count * folds.Count, CrossValidation.Options(cancellationToken, maxParallelism), task =>
        {
            var c = task / folds.Count;
            var k = task % folds.Count;
            var fold = data[k];
            var model = candidates[c].Learner.Learn(fold.TrainX, fold.TrainY, fold.TrainWeights, cancellationToken);
            var test = fold.Fold.Test;
            var squaredErrors = new double[test.Length];
            for (var i = 0; i < test.Length; i++)
            {
                var prediction = model.Predict(fold.TestX.Row(i));
                outOfFold[c][test[i]] = prediction;
                var error = targets[test[i]] - prediction;
                squaredErrors[i] = error * error;
            }
            // mean_squared_error: numpy's mean of the squared errors.
            scores[c][k] = NumpySum.Pairwise(squaredErrors) / test.Length;
        });

        var means = new double[candidates.Count];
        var best = 0;
        for (var c = 0; c < candidates.Count; c++)
        {
            means[c] = NumpySum.Pairwise(scores[c]) / folds.Count;
            if (means[c] < means[best])
            {
                best = c;
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        var bestModel = candidates[best].Learner.Learn(x, y, weights, cancellationToken);
        return new GridSearchResult(candidates, best, means, scores, bestModel, outOfFold);
    }
}
