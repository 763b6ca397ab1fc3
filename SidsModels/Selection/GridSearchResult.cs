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

    /// <summary>Each candidate's mean of its fold scores (numpy's sum order), and the lowest mean's candidate, ties to the earlier.</summary>
    internal static (double[] Means, int Best) Rank(double[][] foldScores)
    {
        var means = new double[foldScores.Length];
        var best = 0;
        for (var c = 0; c < foldScores.Length; c++)
        {
            means[c] = Trees.NumpySum.Pairwise(foldScores[c]) / foldScores[c].Length;
            if (means[c] < means[best])
            {
                best = c;
            }
        }
        return (means, best);
    }
}
