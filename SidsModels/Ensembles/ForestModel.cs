using SidsModels.Common;
using SidsModels.Trees;

namespace SidsModels.Ensembles;

/// <summary>
/// A fitted forest (random forest or extra trees): the mean of its trees, summed in tree order as
/// scikit-learn does. Immutable and thread-safe.
/// </summary>
public sealed class ForestModel : ITreeEnsembleModel
{
    private readonly RegressionTree[] trees;
    private readonly double[] importances;

    internal ForestModel(int featureCount, RegressionTree[] trees)
    {
        FeatureCount = featureCount;
        this.trees = trees;
        importances = AverageImportances(featureCount, trees);
    }

    public int FeatureCount { get; }

    public int TreeCount => trees.Length;

    public IReadOnlyList<RegressionTree> Trees => trees;

    /// <summary>scikit-learn's: the mean of the trees' normalised importances (single-leaf trees left out), normalised.</summary>
    public IReadOnlyList<double> FeatureImportances => Array.AsReadOnly(importances);

    public double Predict(ReadOnlySpan<double> row)
    {
        var sum = 0.0;
        foreach (var tree in trees)
        {
            sum += tree.Predict(row);
        }
        return sum / trees.Length;
    }

    public void PredictPerTree(ReadOnlySpan<double> row, Span<double> destination)
    {
        if (destination.Length != trees.Length)
        {
            throw new ArgumentException($"Expected room for {trees.Length} predictions, got {destination.Length}.", nameof(destination));
        }
        for (var t = 0; t < trees.Length; t++)
        {
            destination[t] = trees[t].Predict(row);
        }
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
            for (var f = 0; f < featureCount; f++)
            {
                result[f] += tree.FeatureImportances[f];
            }
        }
        return Importances.MeanNormalised(result, relevant);
    }
}
