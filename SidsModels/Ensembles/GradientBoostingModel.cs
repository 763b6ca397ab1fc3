using SidsModels.Common;
using SidsModels.Trees;

namespace SidsModels.Ensembles;

/// <summary>A fitted boosting model: initial constant + learning rate × each stage's tree, summed in stage order.</summary>
public sealed class GradientBoostingModel : IRegressionModel
{
    private readonly RegressionTree[] trees;
    private readonly double[] importances;

    internal GradientBoostingModel(int featureCount, double initialEstimate, double learningRate, RegressionTree[] trees, BoostingLoss loss)
    {
        FeatureCount = featureCount;
        InitialEstimate = initialEstimate;
        LearningRate = learningRate;
        this.trees = trees;
        Loss = loss;
        importances = AverageImportances(featureCount, trees);
    }

    public int FeatureCount { get; }

    public double InitialEstimate { get; }

    public double LearningRate { get; }

    public BoostingLoss Loss { get; }

    public IReadOnlyList<RegressionTree> Trees => trees;

    /// <summary>scikit-learn's: the mean of the stages' unnormalised importances (single-leaf trees left out), normalised.</summary>
    public IReadOnlyList<double> FeatureImportances => Array.AsReadOnly(importances);

    public double Predict(ReadOnlySpan<double> row)
    {
        var raw = InitialEstimate;
        foreach (var tree in trees)
        {
            raw += LearningRate * tree.Predict(row);
        }
        return raw;
    }

    private static double[] AverageImportances(int featureCount, RegressionTree[] trees)
    {
        var result = new double[featureCount];
        var relevant = 0;
        foreach (var tree in trees)
        {
            if (tree.NodeCount <= 1)
            {
                continue;
            }
            relevant++;
            var raw = tree.RawImportances;
            for (var f = 0; f < featureCount; f++)
            {
                result[f] += raw[f];
            }
        }
        return Importances.MeanNormalised(result, relevant);
    }
}
