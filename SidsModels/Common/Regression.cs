namespace SidsModels.Common;

/// <summary>
/// Learns a regression model from complete data. A learner holds only validated hyper-parameters and
/// its seed; <see cref="Learn"/> never changes it, so one learner may learn on several threads at once.
/// </summary>
public interface IRegressionLearner
{
    /// <param name="x">Samples × features, no NaN.</param>
    /// <param name="y">One target per sample.</param>
    /// <param name="weights">One weight per sample, or empty for equal weights.</param>
    IRegressionModel Learn(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights, CancellationToken cancellationToken = default);
}

/// <summary>A fitted regression model: immutable and safe to use from several threads.</summary>
public interface IRegressionModel
{
    int FeatureCount { get; }

    double Predict(ReadOnlySpan<double> row);

    /// <summary>Impurity-based importances, one per feature, summing to 1 (all zero for a constant fit).</summary>
    IReadOnlyList<double> FeatureImportances { get; }
}

public static class RegressionModelExtensions
{
    public static double[] Predict(this IRegressionModel model, FeatureMatrix x)
    {
        var result = new double[x.Rows];
        for (var r = 0; r < x.Rows; r++)
        {
            result[r] = model.Predict(x.Row(r));
        }
        return result;
    }
}
