namespace SidsModels.TwoLevelImputation;

/// <summary>A two-level imputation request, validated: what to impute and how.</summary>
public sealed record TwoLevelRequest(
    int TargetYear,
    string Target,
    string Dataset,
    Scheme Scheme,
    IReadOnlyList<string>? ManualPredictors,
    int? NumberPredictor,
    Interpolator Interpolator,
    int Estimators,
    ModelKind Model,
    IntervalKind Interval,
    Approach Approach = Approach.YearByYear);

/// <summary>One SIDS value of the target year: observed, or predicted with its 90% interval.</summary>
public sealed record CountryValue(string Country, double Value, bool Predicted, double Lower, double Upper);

public sealed record FeatureImportance(string Indicator, double Importance);

public sealed record CategoryImportance(string Category, double Importance);

/// <summary>Pearson correlations between the selected predictors (after imputation); NaN where undefined.</summary>
public sealed record CorrelationMatrix(IReadOnlyList<string> Names, IReadOnlyList<IReadOnlyList<double>> Values);

/// <summary>The model cross-validation chose: its kind and grid parameters.</summary>
public sealed record ChosenModel(ModelKind Kind, int? MaxDepth, int Estimators, string Loss);

/// <summary>How many rows trained the model (and how many of them are SIDS), how many were predicted, from how many predictors.</summary>
public sealed record SampleSizes(int Training, int TrainingSids, int Predicted, int Predictors);

/// <summary>Cross-validation of the chosen model: mean squared error per fold (unweighted, as scikit-learn scores).</summary>
public sealed record CrossValidationScores(IReadOnlyList<double> FoldMse, double MeanMse);

/// <summary>Where a computation's time went (not part of the answer, which must not vary between runs).</summary>
public sealed record StageTimings(TimeSpan LevelOne, TimeSpan Selection, TimeSpan GridSearch, TimeSpan Intervals, TimeSpan Total, bool LevelOneCached);

/// <summary>The answer of the two-level model for one target and year.</summary>
public sealed record TwoLevelResult(
    TwoLevelRequest Request,
    IReadOnlyList<CountryValue> Values,
    IReadOnlyList<FeatureImportance> Features,
    IReadOnlyList<CategoryImportance> Categories,
    CorrelationMatrix Correlation,
    double Rmse,
    double RmseDeviation,
    ChosenModel Model,
    SampleSizes Samples,
    CrossValidationScores CrossValidation,
    string IntervalMethod,
    StageTimings Timings,
    TemporalSummary? Temporal = null)
{
    public IEnumerable<CountryValue> Predicted => Values.Where(v => v.Predicted);
}

/// <summary>A predicted country's distance in years to its nearest observed year of the target; null when it has none.</summary>
public sealed record CountryDistance(string Country, int? Distance);

/// <summary>
/// One of the models a temporal answer used: the residual model for the predicted countries whose nearest observed
/// year is <see cref="Distance"/> years away (trained on rows that hide the years closer than that), or the
/// year-by-year model (<see cref="Distance"/> null) for those with no usable observed year. A residual model's answers are
/// blended with the year-by-year model's, which has <see cref="YearByYearShare"/> of them (0 to 1; 1 when Distance is null).
/// </summary>
public sealed record TemporalModel(int? Distance, IReadOnlyList<string> Countries, int TrainingRows, double Rmse, ChosenModel Model,
    double YearByYearShare);

/// <summary>How a temporal answer was made: each predicted country's distance, and the models.</summary>
public sealed record TemporalSummary(IReadOnlyList<CountryDistance> Distances, IReadOnlyList<TemporalModel> Models);
