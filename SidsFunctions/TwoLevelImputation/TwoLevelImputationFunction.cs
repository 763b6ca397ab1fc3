using SidsFunctions.Hosting;
using SidsModels.Data;
using SidsModels.TwoLevelImputation;

namespace SidsFunctions.TwoLevelImputation;

/// <summary>
/// The TwoLevelImputation function: fills a SIDS indicator's missing values for one year (/twolvlImp/*),
/// with the Python backend's paths, fields, answers and error messages.
/// </summary>
public static class TwoLevelImputationFunction
{
    public const string Prefix = "/twolvlImp";

    public static IServiceCollection AddTwoLevelImputation(this IServiceCollection services) =>
        services.AddSingleton(sp => new TwoLevelCatalog(sp.GetRequiredService<DatasetProvider>().Table));

    public static IEndpointRouteBuilder MapTwoLevelImputation(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("Two Level Imputation");
        group.MapGet("/target_sample_size", (TwoLevelCatalog catalog) => catalog.TargetSampleSize)
            .WithName("TargetSampleSize").WithSummary("Countries a target must be observed in (at least 20% of them).");
        group.MapGet("/predictor_sample_size", (TwoLevelCatalog catalog) => catalog.PredictorSampleSize)
            .WithName("PredictorSampleSize").WithSummary("Countries a predictor must be observed in (at least 70% of them).");
        group.MapGet("/target_years", () => TwoLevelCatalog.SupportedYears)
            .WithName("TargetYears").WithSummary("The years a target may be imputed for.");
        group.MapGet("/datasets", Datasets).WithQuery<DatasetsQuery>().ProducesDomainError()
            .WithName("Datasets").WithSummary("Datasets holding targets for the year: code → name.");
        group.MapGet("/targets", Targets).WithQuery<TargetsQuery>().ProducesDomainError()
            .WithName("Targets").WithSummary("Indicators that may be imputed in the year: code → name (every dataset's, as the Python backend answered).");
        group.MapGet("/dimensions", Dimensions).WithQuery<DimensionsQuery>().ProducesDomainError()
            .WithName("Dimensions").WithSummary("The dimensions (units) of an indicator, by name (or one of its codes), offered as targets in the year.");
        group.MapPost("/predictors", Predictors).WithBody<PredictorListRequest>().ProducesDomainError()
            .WithName("Predictors").WithSummary("MANUAL: predictors offered for the year (code → \"name-dimension\"), the target and its copies left out; AFS/PCA: the allowed predictor counts.");
        return app;
    }

    private static IReadOnlyDictionary<string, string> Datasets(HttpContext http, TwoLevelCatalog catalog)
    {
        var query = http.ReadQuery<DatasetsQuery>();
        var year = catalog.ParseYear(query.TargetYear);
        return catalog.Year(year).Datasets.ToDictionary(d => d.Code, d => d.Name);
    }

    private static IReadOnlyDictionary<string, string> Targets(HttpContext http, TwoLevelCatalog catalog)
    {
        var query = http.ReadQuery<TargetsQuery>();
        var year = catalog.ParseYear(query.TargetYear);
        catalog.CheckDataset(year, query.Dataset);
        return catalog.Year(year).Targets.ToDictionary(t => t.Code, t => t.Name);
    }

    private static IReadOnlyList<DimensionOption> Dimensions(HttpContext http, TwoLevelCatalog catalog)
    {
        var query = http.ReadQuery<DimensionsQuery>();
        var year = catalog.ParseYear(query.TargetYear);
        catalog.CheckDataset(year, query.Dataset);
        // The Python backend checked the name against target codes, so it always refused; accept a name, or a code for its name.
        var offered = catalog.Year(year);
        var name = catalog.Table.MetaByCode.TryGetValue(query.Target, out var meta) ? meta.Name : query.Target;
        var dimensions = catalog.Table.IndicatorMeta.Where(m => m.Name == name && offered.IsTarget(m.Code))
            .Select(m => new DimensionOption(m.Dimension, m.Code)).ToArray();
        if (dimensions.Length == 0)
        {
            catalog.CheckTarget(year, query.Target);
        }
        return dimensions;
    }

    private static async Task<IResult> Predictors(HttpContext http, TwoLevelCatalog catalog)
    {
        var request = await http.ReadBodyAsync<PredictorListRequest>();
        var year = catalog.ParseYear(request.TargetYear);
        catalog.CheckDataset(year, request.Dataset);
        catalog.CheckTarget(year, request.Target);
        if (request.Scheme != Scheme.MANUAL)
        {
            // AFS and PCA choose the predictors themselves: the frontend offers a count.
            return TypedResults.Ok(Enumerable.Range(10, 41).ToDictionary(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture), i => i));
        }
        return TypedResults.Ok(catalog.Year(year).Predictors
            .Where(p => !IndicatorTwins.AreTwins(p.Code, request.Target))
            .ToDictionary(p => p.Code, p => $"{p.Name}-{p.Dimension}"));
    }
}
