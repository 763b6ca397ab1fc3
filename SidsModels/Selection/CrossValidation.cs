using SidsModels.Common;

namespace SidsModels.Selection;

/// <summary>Cross-validated predictions as scikit-learn's <c>cross_val_predict</c>.</summary>
public static class CrossValidation
{
    /// <summary>
    /// Each row's prediction by the model learned on the folds that hold it out. The folds' test sets must
    /// partition the rows. Folds are learned in parallel; the result does not depend on the order.
    /// </summary>
    /// <param name="weights">Sample weights passed (sliced) to every fit, or empty.</param>
    public static double[] Predict(IRegressionLearner learner, FeatureMatrix x, ReadOnlySpan<double> y,
        ReadOnlySpan<double> weights, IReadOnlyList<Fold> folds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(learner);
        RequirePartition(folds, x.Rows);
        var data = FoldData.Slice(folds, x, y, weights);
        var result = new double[x.Rows];
        For(data.Length, Options(cancellationToken), k =>
        {
            var fold = data[k];
            var model = learner.Learn(fold.TrainX, fold.TrainY, fold.TrainWeights, cancellationToken);
            for (var i = 0; i < fold.Fold.Test.Length; i++)
            {
                result[fold.Fold.Test[i]] = model.Predict(fold.TestX.Row(i));
            }
        });
        return result;
    }

    /// <summary>
    /// Parallel.For that rethrows a body's own exception (e.g. <see cref="InvalidInputException"/>) rather
    /// than an <see cref="AggregateException"/>, so that callers map errors as for a sequential run.
    /// </summary>
    internal static void For(int count, ParallelOptions options, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, options, body);
        }
        catch (AggregateException e)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.Flatten().InnerExceptions[0]).Throw();
        }
    }

    internal static ParallelOptions Options(CancellationToken cancellationToken, int? maxParallelism = null) => new()
    {
        MaxDegreeOfParallelism = maxParallelism ?? Environment.ProcessorCount,
        CancellationToken = cancellationToken,
    };

    private static void RequirePartition(IReadOnlyList<Fold> folds, int rows)
    {
        var seen = new bool[rows];
        var count = 0;
        foreach (var fold in folds)
        {
            foreach (var index in fold.Test)
            {
                if ((uint)index >= (uint)rows || seen[index])
                {
                    throw new ArgumentException("Cross-validated predictions need test folds that partition the rows.", nameof(folds));
                }
                seen[index] = true;
                count++;
            }
        }
        if (count != rows)
        {
            throw new ArgumentException("Cross-validated predictions need test folds that partition the rows.", nameof(folds));
        }
    }
}
