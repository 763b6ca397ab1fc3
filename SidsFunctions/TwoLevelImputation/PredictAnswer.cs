using System.Globalization;
using System.Text.Json.Serialization;
using SidsFunctions.Hosting.Requests;
using SidsModels.TwoLevelImputation;

namespace SidsFunctions.TwoLevelImputation;

/// <summary>The predictors' correlation matrix in pandas' 'split' orient (index and columns: the predictor codes).</summary>
public sealed record CorrelationFrame(
    [property: JsonPropertyName("index")] IReadOnlyList<string> Index,
    [property: JsonPropertyName("columns")] IReadOnlyList<string> Columns,
    [property: JsonPropertyName("data")] IReadOnlyList<IReadOnlyList<double>> Data);

/// <summary>
/// What the current platform frontend reads: every map keyed by the target year, exactly as the Python
/// backend's <c>processMLData</c> built it.
/// </summary>
public sealed record IndicatorJson(
    [property: JsonPropertyName("data")] IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Data,
    [property: JsonPropertyName("upperIntervals")] IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> UpperIntervals,
    [property: JsonPropertyName("lowerIntervals")] IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> LowerIntervals,
    [property: JsonPropertyName("categoryImportances")] IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> CategoryImportances,
    [property: JsonPropertyName("featureImportances")] IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> FeatureImportances,
    [property: JsonPropertyName("correlation")] IReadOnlyDictionary<string, CorrelationFrame> Correlation,
    [property: JsonPropertyName("rmse")] IReadOnlyDictionary<string, double> Rmse,
    [property: JsonPropertyName("rmse_deviation")] IReadOnlyDictionary<string, double> RmseDeviation);

/// <summary>The older frontend's prediction table (pandas 'list' orient of the prediction frame).</summary>
public sealed record LegacyPrediction(
    [property: JsonPropertyName("Country Code")] IReadOnlyList<string> CountryCode,
    [property: JsonPropertyName("prediction")] IReadOnlyList<double> Prediction,
    [property: JsonPropertyName("lower")] IReadOnlyList<double> Lower,
    [property: JsonPropertyName("upper")] IReadOnlyList<double> Upper);

/// <summary>Feature importances summed by category, for the older frontend's pie chart.</summary>
public sealed record ImportancePie(
    [property: JsonPropertyName("category")] IReadOnlyList<string> Category,
    [property: JsonPropertyName("value")] IReadOnlyList<double> Value);

public sealed record ModelSummary(string Model, int? MaxDepth, int Estimators, string Loss);

public sealed record SampleSummary(int Training, int TrainingSids, int Predicted, int Predictors);

public sealed record CrossValidationSummary(int Folds, IReadOnlyList<double> FoldMse, double MeanMse);

public sealed record IntervalSummary(string Method, double Level, string Description);

/// <summary>
/// One model of a temporal answer: the countries it predicted, their distance to their nearest observed year (null: none, the
/// year-by-year model), and the year-by-year model's share of the blend that answered them (1 when the distance is null).
/// </summary>
public sealed record ApproachModel(int? Distance, IReadOnlyList<string> Countries, int TrainingRows, double Rmse, string Model, int? MaxDepth,
    double YearByYearShare);

/// <summary>The approach of a temporal answer: per predicted country the years to its nearest observed year of the target (null: none), and the models used.</summary>
public sealed record ApproachSummary(
    string Name,
    IReadOnlyDictionary<string, int?> NearestObservedYearDistance,
    IReadOnlyList<ApproachModel> Models);

/// <summary>
/// POST /twolvlImp/predict's answer: <c>indicatorJson</c> for the current frontend, the flat fields the
/// older frontend reads, and what the Python backend did not say: the chosen hyper-parameters, sample
/// sizes, per-fold cross-validation scores and how the intervals were built.
/// </summary>
public sealed record PredictAnswer(
    [property: JsonPropertyName("indicatorJson")] IndicatorJson IndicatorJson,
    double Rmse,
    double RmseDeviation,
    IReadOnlyList<string> ModelFeatureNames,
    IReadOnlyList<double> ModelFeatureImportance,
    LegacyPrediction Prediction,
    CorrelationFrame Correlation,
    ImportancePie FeatureImportancePie,
    int SampleSize,
    ModelSummary ChosenModel,
    SampleSummary Samples,
    CrossValidationSummary CrossValidation,
    IntervalSummary Interval,
    // Absent from year-by-year answers, which stay as they were.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ApproachSummary? Approach = null)
{
    /// <summary>An answer of the shape /predict gives (two SIDS, one of them predicted, two predictors), for the OpenAPI document.</summary>
    public static PredictAnswer Example { get; } = From(new TwoLevelResult(
        new TwoLevelRequest(2001, "key-wdi-EG.ELC.ACCS.ZS", "key", Scheme.MANUAL, ["wdi-AG.LND.AGRI.K2", "wdi-SP.POP.TOTL"], null,
            Interpolator.KNNImputer, 10, ModelKind.RandomForest, IntervalKind.Quantile),
        [new CountryValue("ATG", 97.7, false, double.NaN, double.NaN), new CountryValue("GNB", 81.08, true, 68.17, 96.56)],
        [new FeatureImportance("wdi-AG.LND.AGRI.K2", 0.62), new FeatureImportance("wdi-SP.POP.TOTL", 0.38)],
        [new CategoryImportance("Environment", 0.62), new CategoryImportance("Health", 0.38)],
        new CorrelationMatrix(["wdi-AG.LND.AGRI.K2", "wdi-SP.POP.TOTL"], [[1.0, 0.41], [0.41, 1.0]]),
        32.09,
        0.42,
        new ChosenModel(ModelKind.RandomForest, 5, 10, "squared_error"),
        new SampleSizes(211, 44, 1, 2),
        new CrossValidationScores([980.1, 1130.4, 870.2, 1205.7, 962.3], 1029.7),
        "Conformalized quantile regression: the 5th and 95th percentiles of the trees' predictions, widened by the 90% conformal quantile of the cross-validated rows' distances outside their band.",
        new StageTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, false)));

    public static PredictAnswer From(TwoLevelResult result)
    {
        var year = result.Request.TargetYear.ToString(CultureInfo.InvariantCulture);
        var predicted = result.Predicted.ToArray();
        var correlation = new CorrelationFrame(result.Correlation.Names, result.Correlation.Names, result.Correlation.Values);
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> ByYear(IReadOnlyDictionary<string, double> map) =>
            new Dictionary<string, IReadOnlyDictionary<string, double>> { [year] = map };
        var indicatorJson = new IndicatorJson(
            ByYear(result.Values.ToDictionary(v => v.Country, v => v.Value)),
            ByYear(predicted.ToDictionary(v => v.Country, v => v.Upper)),
            ByYear(predicted.ToDictionary(v => v.Country, v => v.Lower)),
            ByYear(result.Categories.ToDictionary(c => c.Category, c => c.Importance)),
            ByYear(result.Features.ToDictionary(f => f.Indicator, f => f.Importance)),
            new Dictionary<string, CorrelationFrame> { [year] = correlation },
            new Dictionary<string, double> { [year] = result.Rmse },
            new Dictionary<string, double> { [year] = result.RmseDeviation });
        var pie = result.Categories.OrderBy(c => c.Category, StringComparer.Ordinal).ToArray();
        return new PredictAnswer(
            indicatorJson,
            result.Rmse,
            result.RmseDeviation,
            result.Features.Select(f => f.Indicator).ToArray(),
            result.Features.Select(f => f.Importance).ToArray(),
            new LegacyPrediction(predicted.Select(p => p.Country).ToArray(), predicted.Select(p => p.Value).ToArray(),
                predicted.Select(p => p.Lower).ToArray(), predicted.Select(p => p.Upper).ToArray()),
            correlation,
            new ImportancePie(pie.Select(c => c.Category).ToArray(), pie.Select(c => c.Importance).ToArray()),
            result.Samples.Training,
            new ModelSummary(EnumValues.Name(result.Model.Kind), result.Model.MaxDepth, result.Model.Estimators, result.Model.Loss),
            new SampleSummary(result.Samples.Training, result.Samples.TrainingSids, result.Samples.Predicted, result.Samples.Predictors),
            new CrossValidationSummary(result.CrossValidation.FoldMse.Count, result.CrossValidation.FoldMse, result.CrossValidation.MeanMse),
            new IntervalSummary(EnumValues.Name(result.Request.Interval), 0.9, result.IntervalMethod),
            result.Temporal is not { } temporal ? null : new ApproachSummary(
                EnumValues.Name(result.Request.Approach),
                temporal.Distances.ToDictionary(d => d.Country, d => d.Distance),
                temporal.Models.Select(m => new ApproachModel(m.Distance, m.Countries, m.TrainingRows, m.Rmse, EnumValues.Name(m.Model.Kind), m.Model.MaxDepth,
                    m.YearByYearShare))
                    .ToArray()));
    }
}
