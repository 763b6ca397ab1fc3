using SidsModels.Common;
using SidsModels.Data;

namespace SidsModels.TwoLevelImputation;

/// <summary>
/// The first level of the pipeline for one target and year: countries with the target observed are the
/// training rows, SIDS countries missing it are the rows to predict, and the predictors are the other
/// indicators observed in more than 70% of the training rows — never the target itself nor its copy in
/// another dataset (key-wdi-X and wdi-X carry the same values), and one copy of every other indicator. Predictor values may still be missing (NaN);
/// the imputation step fills them.
/// </summary>
public sealed class TrainingData
{
    private TrainingData(string target, int[] trainingCountries, int[] predictionCountries, int[] predictors, FeatureMatrix training,
        FeatureMatrix prediction, double[] targetValues, bool[] trainingIsSids)
    {
        Target = target;
        TrainingCountries = trainingCountries;
        PredictionCountries = predictionCountries;
        Predictors = predictors;
        Training = training;
        Prediction = prediction;
        TargetValues = targetValues;
        TrainingIsSids = trainingIsSids;
    }

    public string Target { get; }

    /// <summary>Countries (table indices, code order) with the target observed.</summary>
    public IReadOnlyList<int> TrainingCountries { get; }

    /// <summary>SIDS countries (table indices, code order) missing the target.</summary>
    public IReadOnlyList<int> PredictionCountries { get; }

    /// <summary>Predictor indicators (table indices), by ascending missing share among training rows, then code.</summary>
    public IReadOnlyList<int> Predictors { get; }

    /// <summary>Training rows × predictors; NaN where missing.</summary>
    public FeatureMatrix Training { get; }

    /// <summary>Rows to predict × predictors; NaN where missing.</summary>
    public FeatureMatrix Prediction { get; }

    public IReadOnlyList<double> TargetValues { get; }

    public IReadOnlyList<bool> TrainingIsSids { get; }

    /// <summary>Builds the first level for <paramref name="target"/> in the year at <paramref name="yearIndex"/>.</summary>
    public static TrainingData Build(IndicatorTable table, int yearIndex, string target)
    {
        var targetIndex = table.IndicatorIndexOf(target);
        if (targetIndex < 0)
        {
            throw new InvalidInputException("Invalid target. Please try /twolvlImp/targets endpoint for supported values", "target");
        }
        var values = table.YearValues(yearIndex);
        var indicators = table.IndicatorCount;
        var training = new List<int>();
        var prediction = new List<int>();
        for (var c = 0; c < table.CountryCount; c++)
        {
            if (!double.IsNaN(values[c * indicators + targetIndex]))
            {
                training.Add(c);
            }
            else if (table.IsSids(c))
            {
                prediction.Add(c);
            }
        }

        // One copy of each indicator: key-wdi-X and wdi-X carry the same values, and both in the pool let
        // selection spend two of its picks (and KNN twice the weight) on one indicator. The first in feature
        // order stays (the less missing one; key-wdi-X on a tie). MANUAL picks of the other copy map to it.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var predictors = PredictorsOf(table, values, training, targetIndex, target)
            .Where(i => seen.Add(IndicatorTwins.BaseCode(table.Indicators[i]))).ToArray();

        var trainingRows = training.ToArray();
        var predictionRows = prediction.ToArray();
        var targetValues = new double[trainingRows.Length];
        for (var r = 0; r < trainingRows.Length; r++)
        {
            targetValues[r] = values[trainingRows[r] * indicators + targetIndex];
        }
        return new TrainingData(
            target,
            trainingRows,
            predictionRows,
            predictors,
            Slice(values, indicators, trainingRows, predictors),
            Slice(values, indicators, predictionRows, predictors),
            targetValues,
            trainingRows.Select(table.IsSids).ToArray());
    }

    /// <summary>
    /// The predictors the model may use for <paramref name="target"/> in the year at <paramref name="yearIndex"/>
    /// (table indices, in feature order): what <see cref="Build"/> keeps, without building the matrices.
    /// </summary>
    public static int[] PredictorsOf(IndicatorTable table, int yearIndex, string target)
    {
        var targetIndex = table.IndicatorIndexOf(target);
        if (targetIndex < 0)
        {
            return [];
        }
        var values = table.YearValues(yearIndex);
        var training = new List<int>();
        for (var c = 0; c < table.CountryCount; c++)
        {
            if (!double.IsNaN(values[c * table.IndicatorCount + targetIndex]))
            {
                training.Add(c);
            }
        }
        return PredictorsOf(table, values, training, targetIndex, target);
    }

    // Indicators other than the target and its twin, missing in less than 30% of the training rows.
    private static int[] PredictorsOf(IndicatorTable table, ReadOnlySpan<double> values, List<int> training, int targetIndex, string target)
    {
        var indicators = table.IndicatorCount;
        // Counted country by country: a country's values are contiguous, an indicator's are a table row apart.
        var missingCounts = new int[indicators];
        foreach (var c in training)
        {
            var row = values.Slice(c * indicators, indicators);
            for (var i = 0; i < row.Length; i++)
            {
                if (double.IsNaN(row[i]))
                {
                    missingCounts[i]++;
                }
            }
        }
        var candidates = new List<(double Percent, string Code, int Index)>();
        for (var i = 0; i < indicators; i++)
        {
            if (i == targetIndex || IndicatorTwins.AreTwins(table.Indicators[i], target))
            {
                continue;
            }
            var missing = missingCounts[i];
            var percent = training.Count == 0 ? 100 : missing * 100.0 / training.Count;
            if (percent < TwoLevelCatalog.PredictorMaxMissingPercent)
            {
                candidates.Add((percent, table.Indicators[i], i));
            }
        }
        // pandas sorted the missingness table by (percent_missing, column_name): that order is the feature order.
        candidates.Sort((a, b) => a.Percent != b.Percent ? a.Percent.CompareTo(b.Percent) : string.CompareOrdinal(a.Code, b.Code));
        return candidates.Select(p => p.Index).ToArray();
    }

    /// <summary>Inverse class weights: each SIDS row 1/(SIDS rows), every other row 1/(other rows), so both groups weigh the same.</summary>
    public double[] SidsWeights() => GroupWeights(TrainingIsSids);

    /// <summary>The weights of <see cref="SidsWeights"/> for any set of rows, given which are SIDS.</summary>
    public static double[] GroupWeights(IReadOnlyList<bool> isSids)
    {
        var sids = isSids.Count(s => s);
        var others = isSids.Count - sids;
        if (sids == 0 || others == 0)
        {
            return Enumerable.Repeat(1.0 / isSids.Count, isSids.Count).ToArray();
        }
        return isSids.Select(s => s ? 1.0 / sids : 1.0 / others).ToArray();
    }

    private static FeatureMatrix Slice(ReadOnlySpan<double> values, int indicators, int[] rows, int[] columns)
    {
        var result = new FeatureMatrix(rows.Length, columns.Length);
        for (var r = 0; r < rows.Length; r++)
        {
            var source = values.Slice(rows[r] * indicators, indicators);
            var target = result.RowSpan(r);
            for (var c = 0; c < columns.Length; c++)
            {
                target[c] = source[columns[c]];
            }
        }
        return result;
    }
}
