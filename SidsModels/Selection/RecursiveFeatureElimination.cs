using SidsModels.Common;

namespace SidsModels.Selection;

/// <summary>
/// Recursive feature elimination as scikit-learn 1.2.1's <c>RFE</c>: learn on the remaining features,
/// order them by squared importance (ascending), drop the <c>min(step, remaining − target)</c> least
/// important, repeat until <see cref="FeaturesToSelect"/> remain. The learner must report feature
/// importances (trees and ensembles do).
/// <para>
/// Equal importances are ordered by feature index. numpy's <c>argsort</c> does the same for up to 16
/// values; for more, the order it leaves exact ties in depends on the processor's sort kernel (AVX-512
/// or not), so no fixed rule can match it everywhere. Only exact ties are affected (e.g. several
/// features no tree ever used).
/// </para>
/// </summary>
public sealed class RecursiveFeatureElimination
{
    /// <param name="screeningLearner">Ranks the features while more than <paramref name="screeningAbove"/> remain (a
    /// cheaper learner for the early rounds, which only drop the clearly least important); null = <paramref name="learner"/> throughout.</param>
    /// <param name="screeningStep">Features a screening round drops, never leaving fewer than <paramref name="screeningAbove"/>; null =
    /// <paramref name="step"/>, as the other rounds (which may leave fewer).</param>
    public RecursiveFeatureElimination(IRegressionLearner learner, int featuresToSelect, int step = 1,
        IRegressionLearner? screeningLearner = null, int screeningAbove = int.MaxValue, int? screeningStep = null)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentOutOfRangeException.ThrowIfLessThan(featuresToSelect, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        Learner = learner;
        FeaturesToSelect = featuresToSelect;
        Step = step;
        ScreeningLearner = screeningLearner;
        ScreeningAbove = screeningAbove;
        ScreeningStep = screeningStep;
        if (screeningStep is { } s)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(s, 1);
        }
    }

    public IRegressionLearner Learner { get; }

    public IRegressionLearner? ScreeningLearner { get; }

    public int ScreeningAbove { get; }

    public int? ScreeningStep { get; }

    public int FeaturesToSelect { get; }

    public int Step { get; }

    /// <param name="weights">Sample weights passed to every fit, or empty (scikit-learn's RFE.fit(X, y) passes none).</param>
    public FeatureEliminationResult Run(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights,
        CancellationToken cancellationToken = default)
    {
        var count = x.Columns;
        var support = new bool[count];
        var ranking = new int[count];
        Array.Fill(support, true);
        Array.Fill(ranking, 1);
        var remaining = count;
        while (remaining > FeaturesToSelect)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var features = new int[remaining];
            for (int f = 0, i = 0; f < count; f++)
            {
                if (support[f])
                {
                    features[i++] = f;
                }
            }
            var screening = ScreeningLearner is not null && remaining > ScreeningAbove;
            var learner = screening ? ScreeningLearner! : Learner;
            var model = learner.Learn(x.SelectColumns(features), y, weights, cancellationToken);
            var squared = new double[remaining];
            for (var i = 0; i < remaining; i++)
            {
                var importance = model.FeatureImportances[i];
                squared[i] = importance * importance;
            }
            var order = StableArgsort(squared);
            var drop = screening && ScreeningStep is { } screeningStep
                ? Math.Min(screeningStep, remaining - Math.Max(ScreeningAbove, FeaturesToSelect))
                : Math.Min(Step, remaining - FeaturesToSelect);
            for (var i = 0; i < drop; i++)
            {
                support[features[order[i]]] = false;
            }
            remaining -= drop;
            for (var f = 0; f < count; f++)
            {
                if (!support[f])
                {
                    ranking[f]++;
                }
            }
        }
        return new FeatureEliminationResult(support, ranking);
    }

    /// <summary>Positions in ascending order of value, ties by position.</summary>
    private static int[] StableArgsort(double[] values)
    {
        var order = new int[values.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        Array.Sort(order, (a, b) => values[a] != values[b] ? values[a].CompareTo(values[b]) : a.CompareTo(b));
        return order;
    }
}
