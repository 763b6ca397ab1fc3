using SidsModels.Common;

namespace SidsModels.Selection;

/// <summary>What a grid search found.</summary>
/// <param name="Candidates">The candidates, in the order given.</param>
/// <param name="BestIndex">The candidate with the lowest mean held-out MSE (the first of equals).</param>
/// <param name="MeanScores">Per candidate: mean over folds of the unweighted held-out mean squared error.</param>
/// <param name="FoldScores">Per candidate, per fold: the held-out mean squared error.</param>
/// <param name="BestModel">The best candidate learned again on all rows.</param>
/// <param name="OutOfFoldPredictions">Per candidate, per row: the prediction of the fold model that held the row
/// out (NaN for a row no fold holds out).</param>
/// <param name="FoldSummaries">Per candidate, per fold: what the search's fold summary computed from that fold's model (null without one).</param>
public sealed record GridSearchResult(
    IReadOnlyList<GridCandidate> Candidates,
    int BestIndex,
    IReadOnlyList<double> MeanScores,
    IReadOnlyList<IReadOnlyList<double>> FoldScores,
    IRegressionModel BestModel,
    IReadOnlyList<double[]> OutOfFoldPredictions,
    IReadOnlyList<IReadOnlyList<object?>>? FoldSummaries = null)
{
    public GridCandidate Best => Candidates[BestIndex];

    /// <summary>Mean held-out MSE of the best candidate (its square root is the reported RMSE).</summary>
    public double BestScore => MeanScores[BestIndex];

    /// <summary>A fold's held-out MSE (scikit-learn's <c>mean_squared_error</c>: numpy's mean of the squared errors), from held-out predictions by row.</summary>
    internal static double FoldMse(ReadOnlySpan<double> targets, ReadOnlySpan<double> heldOut, IReadOnlyList<int> test)
    {
        var squaredErrors = new double[test.Count];
        for (var i = 0; i < squaredErrors.Length; i++)
        {
            var error = targets[test[i]] - heldOut[test[i]];
            squaredErrors[i] = error * error;
        }
        return Trees.NumpySum.Pairwise(squaredErrors) / squaredErrors.Length;
    }

    /// <summary>The mean of fold scores, in numpy's sum order.</summary>
    internal static double Mean(IReadOnlyList<double> foldScores) => Trees.NumpySum.Pairwise([.. foldScores]) / foldScores.Count;

    /// <summary>Each candidate's mean of its fold scores (numpy's sum order), and the lowest mean's candidate, ties to the earlier.</summary>
    internal static (double[] Means, int Best) Rank(double[][] foldScores)
    {
        var means = new double[foldScores.Length];
        var best = 0;
        for (var c = 0; c < foldScores.Length; c++)
        {
            means[c] = Mean(foldScores[c]);
            if (means[c] < means[best])
            {
                best = c;
            }
        }
        return (means, best);
    }
}
