using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using SidsFunctions.Hosting;
using SidsFunctions.Hosting.Requests;
using SidsModels.TwoLevelImputation;

namespace SidsFunctions.TwoLevelImputation;

/// <summary>POST /twolvlImp/predict and /estimate: the Python backend's <c>TrainRequest</c>, field for field.</summary>
[SidsRequest]
public sealed record TrainRequest(
    [property: Display(Name = "List of predictors (for Manual)"), ReqEndpoint("/predictors"), RequiredIf("scheme", "MANUAL"), MaxLength(50)]
    IReadOnlyList<string>? ManualPredictors,
    [property: Display(Name = "Number of predictors (for Automatic)"), RequiredIf("scheme", "AFS"), RequiredIf("scheme", "PCA"), Range(1, 50)]
    int? NumberPredictor,
    [property: Display(Name = "The year under consideration"), ReqEndpoint("/target_years")]
    string TargetYear,
    [property: Display(Name = "Indicator whose values will be imputed"), ReqEndpoint("/targets")]
    string Target,
    [property: Display(Name = "Base Imputer"),
               Description("The base imputer is a standard model that will be used to interpolate missing values in the most complete prediction features")]
    Interpolator Interpolator,
    [property: Display(Name = "Feature selection method selected by user")]
    Scheme Scheme,
    [property: Display(Name = "Number of trees for tree based models"), Range(1, 1000)]
    int Estimators,
    [property: Display(Name = "Type of model to be trained")]
    ModelKind Model,
    [property: Display(Name = "Type of prediction interval")]
    IntervalKind Interval,
    [property: Display(Name = "Dataset"), ReqEndpoint("/datasets")]
    string Dataset,
    [property: Display(Name = "Imputation approach"),
               Description("year_by_year uses other indicators of the target year only; temporal starts from the country's own neighbouring years of the target and corrects them with the other indicators, blended with the year-by-year answer in the proportion that best predicts held-out training rows (countries with no other observed year get the year-by-year answer)")]
    Approach Approach = Approach.YearByYear) : IHasExample<TrainRequest>
{
    public static TrainRequest Example { get; } = new(["wdi-AG.LND.AGRI.K2"], null, "2001", "key-wdi-EG.ELC.ACCS.ZS",
        Interpolator.KNNImputer, Scheme.MANUAL, 10, ModelKind.RandomForest, IntervalKind.Quantile, "key");
}

/// <summary>POST /twolvlImp/predictors: the predictors a target may use (MANUAL), or the allowed counts (AFS, PCA).</summary>
[SidsRequest]
public sealed record PredictorListRequest(
    [property: Display(Name = "The year under consideration")] string TargetYear,
    [property: Display(Name = "Dataset")] string Dataset,
    [property: Display(Name = "Indicator whose values will be imputed")] string Target,
    [property: Display(Name = "Feature selection method selected by user")] Scheme Scheme) : IHasExample<PredictorListRequest>
{
    public static PredictorListRequest Example { get; } = new("2001", "key", "key-wdi-EG.ELC.ACCS.ZS", Scheme.MANUAL);
}

/// <summary>GET /twolvlImp/datasets?target_year= (2001 when absent, as the Python backend).</summary>
[SidsRequest]
public sealed record DatasetsQuery([property: Description("The year under consideration")] string TargetYear = "2001")
    : IHasExample<DatasetsQuery>
{
    public static DatasetsQuery Example { get; } = new("2005");
}

/// <summary>GET /twolvlImp/targets?target_year=&amp;dataset=</summary>
[SidsRequest]
public sealed record TargetsQuery(
    [property: Description("The year under consideration")] string TargetYear,
    [property: Description("Dataset code")] string Dataset) : IHasExample<TargetsQuery>
{
    public static TargetsQuery Example { get; } = new("2005", "key");
}

/// <summary>GET /twolvlImp/dimensions?target=&amp;target_year=&amp;dataset= (target is an indicator name).</summary>
[SidsRequest]
public sealed record DimensionsQuery(
    [property: Description("Indicator name")] string Target,
    [property: Description("The year under consideration")] string TargetYear,
    [property: Description("Dataset code")] string Dataset) : IHasExample<DimensionsQuery>
{
    public static DimensionsQuery Example { get; } = new("Access to electricity", "2005", "wdi");
}

/// <summary>One dimension of an indicator: its unit as label, its code as value.</summary>
public sealed record DimensionOption(string Label, string Value);
