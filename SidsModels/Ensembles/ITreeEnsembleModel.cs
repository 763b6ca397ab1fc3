using SidsModels.Common;

namespace SidsModels.Ensembles;

/// <summary>A fitted ensemble whose trees' individual predictions are available (for prediction intervals).</summary>
public interface ITreeEnsembleModel : IRegressionModel
{
    int TreeCount { get; }

    /// <summary>Writes each tree's prediction for <paramref name="row"/> into <paramref name="destination"/> (length <see cref="TreeCount"/>), in tree order.</summary>
    void PredictPerTree(ReadOnlySpan<double> row, Span<double> destination);
}

public static class TreeEnsembleModelExtensions
{
    /// <summary>Every tree's prediction for every row: a rows × trees matrix.</summary>
    public static FeatureMatrix PredictPerTree(this ITreeEnsembleModel model, FeatureMatrix x)
    {
        var result = new FeatureMatrix(x.Rows, model.TreeCount);
        for (var r = 0; r < x.Rows; r++)
        {
            model.PredictPerTree(x.Row(r), result.RowSpan(r));
        }
        return result;
    }
}
