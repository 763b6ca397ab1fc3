using SidsModels.Common;

namespace SidsModels.Selection;

/// <summary>The rows of one fold, sliced once and shared by every learner evaluated on it.</summary>
internal sealed class FoldData
{
    private FoldData(Fold fold, FeatureMatrix trainX, double[] trainY, double[] trainWeights, FeatureMatrix testX)
    {
        Fold = fold;
        TrainX = trainX;
        TrainY = trainY;
        TrainWeights = trainWeights;
        TestX = testX;
    }

    public Fold Fold { get; }

    public FeatureMatrix TrainX { get; }

    public double[] TrainY { get; }

    /// <summary>Empty when the caller gave no weights.</summary>
    public double[] TrainWeights { get; }

    public FeatureMatrix TestX { get; }

    public static FoldData[] Slice(IReadOnlyList<Fold> folds, FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights)
    {
        if (y.Length != x.Rows)
        {
            throw new ArgumentException($"Expected {x.Rows} targets, got {y.Length}.", nameof(y));
        }
        if (!weights.IsEmpty && weights.Length != x.Rows)
        {
            throw new ArgumentException($"Expected {x.Rows} sample weights, got {weights.Length}.", nameof(weights));
        }
        var result = new FoldData[folds.Count];
        for (var k = 0; k < folds.Count; k++)
        {
            var fold = folds[k];
            foreach (var index in fold.Train.Concat(fold.Test))
            {
                if ((uint)index >= (uint)x.Rows)
                {
                    throw new ArgumentException($"Fold {k} names row {index}, outside 0..{x.Rows - 1}.", nameof(folds));
                }
            }
            var trainY = new double[fold.Train.Length];
            var trainWeights = weights.IsEmpty ? [] : new double[fold.Train.Length];
            for (var i = 0; i < fold.Train.Length; i++)
            {
                trainY[i] = y[fold.Train[i]];
                if (!weights.IsEmpty)
                {
                    trainWeights[i] = weights[fold.Train[i]];
                }
            }
            result[k] = new FoldData(fold, x.SelectRows(fold.Train), trainY, trainWeights, x.SelectRows(fold.Test));
        }
        return result;
    }
}
