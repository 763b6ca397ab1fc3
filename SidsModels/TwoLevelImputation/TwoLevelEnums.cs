using System.ComponentModel;
using System.Text.Json.Serialization;

namespace SidsModels.TwoLevelImputation;

/// <summary>How predictors are chosen (the Python backend's <c>Schema</c>).</summary>
public enum Scheme
{
    [Description("Automatic via feature selection")]
    AFS,

    [Description("Automatic via PCA")]
    PCA,

    [Description("Manual")]
    MANUAL,
}

/// <summary>How missing predictor values are filled before training.</summary>
public enum Interpolator
{
    [Description("K Nearest Neighbour Interpolation")]
    KNNImputer,

    [Description("Iterative Imputer Interpolation")]
    IterativeImputer,

    [Description("Simple Interpolation")]
    SimpleImputer,
}

/// <summary>The tree ensemble trained; <see cref="All"/> picks the best of the three by cross-validation.</summary>
public enum ModelKind
{
    [JsonStringEnumMemberName("rfr")]
    [Description("Random Forest Regressor")]
    RandomForest,

    [JsonStringEnumMemberName("gbr")]
    [Description("Gradient Boost Regressor")]
    GradientBoosting,

    [JsonStringEnumMemberName("etr")]
    [Description("Extra tree Regressor")]
    ExtraTrees,

    [JsonStringEnumMemberName("all")]
    [Description("Best Model")]
    All,
}

/// <summary>How the 90% prediction intervals are built (see <see cref="PredictionIntervals"/>).</summary>
public enum IntervalKind
{
    [JsonStringEnumMemberName("bootstrap")]
    [Description("Residual Bootstrap")]
    Bootstrap,

    [JsonStringEnumMemberName("quantile")]
    [Description("Quantile")]
    Quantile,

    [JsonStringEnumMemberName("conformal")]
    [Description("Conformal (CV+)")]
    Conformal,
}

/// <summary>Which evidence fills a missing value (see <see cref="TemporalApproach"/>).</summary>
public enum Approach
{
    /// <summary>Other countries' values of other indicators in the target year only (the Python backend's method).</summary>
    [JsonStringEnumMemberName("year_by_year")]
    [Description("Year by year: other indicators in the target year")]
    YearByYear,

    /// <summary>The country's own neighbouring years of the target, corrected by the year's predictors.</summary>
    [JsonStringEnumMemberName("temporal")]
    [Description("Temporal: the country's own neighbouring years, corrected by other indicators")]
    Temporal,
}
