using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SidsFunctions.Hosting;
using SidsFunctions.Hosting.Requests;
using SidsFunctions.TimeEstimates;
using SidsModels.Common;
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

    public static IServiceCollection AddTwoLevelImputation(this IServiceCollection services) => services
        .AddSingleton(sp => new TwoLevelCatalog(sp.GetRequiredService<DatasetProvider>().Table))
        .AddSingleton(sp => new TwoLevelImputationModel(sp.GetRequiredService<TwoLevelCatalog>()));

    public static IEndpointRouteBuilder MapTwoLevelImputation(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("Two Level Imputation");
        group.MapGet("/target_sample_size", (TwoLevelCatalog catalog) => catalog.TargetSampleSize).Answers(44)
            .WithName("TargetSampleSize").WithSummary("Countries a target must be observed in (at least 20% of them).");
        group.MapGet("/predictor_sample_size", (TwoLevelCatalog catalog) => catalog.PredictorSampleSize).Answers(152)
            .WithName("PredictorSampleSize").WithSummary("Countries a predictor must be observed in (at least 70% of them).");
        group.MapGet("/target_years", () => TwoLevelCatalog.SupportedYears).Answers(TwoLevelCatalog.SupportedYears)
            .WithName("TargetYears").WithSummary("The years a target may be imputed for.");
        group.MapGet("/datasets", Datasets).WithQuery<DatasetsQuery>().ProducesDomainError()
            .Answers<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { ["key"] = "SIDS Key Indicators", ["wdi"] = "World Development Indicators" })
            .WithName("Datasets").WithSummary("Datasets holding targets for the year: code → name.");
        group.MapGet("/targets", Targets).WithQuery<TargetsQuery>().ProducesDomainError()
            .Answers<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>
            {
                ["key-wdi-EG.ELC.ACCS.ZS"] = "Access to electricity (% of population)",
                ["wdi-SP.DYN.LE00.IN"] = "Life expectancy at birth",
            })
            .WithName("Targets").WithSummary("Indicators that may be imputed in the year: code → name (every dataset's, as the Python backend answered).");
        group.MapGet("/dimensions", Dimensions).WithQuery<DimensionsQuery>().ProducesDomainError()
            .Answers<IReadOnlyList<DimensionOption>>([new DimensionOption("% of population", "wdi-EG.ELC.ACCS.ZS")])
            .WithName("Dimensions").WithSummary("The dimensions (units) of an indicator, by name (or one of its codes), offered as targets in the year.");
        group.MapPost("/predict", Predict).WithBody<TrainRequest>().ProducesDomainError()
            .Answers(PredictAnswer.Example)
            .Produces<Hosting.Errors.MessageErrorBody>(StatusCodes.Status503ServiceUnavailable)
            .AsMainEndpoint(ModelSelection.TwoLevelImputation, "Two Level Imputation", Prefix)
            .WithName("Predict")
            .WithSummary("Impute a SIDS indicator's missing values for one year: level one fills the predictors' gaps, level two selects predictors and trains cross-validated tree ensembles weighted for SIDS, with 90% prediction intervals.");
        group.MapPost("/estimate", Estimate).WithBody<TrainRequest>().ProducesDomainError()
            .Answers(477.5)
            .WithName("Estimate")
            .WithSummary("Seconds a predict with this scheme takes: the mean of recent predicts (time_consumption), 120 when unknown.");
        group.MapPost("/predictors", Predictors).WithBody<PredictorListRequest>().ProducesDomainError()
            .Answers<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { ["wdi-AG.LND.AGRI.K2"] = "Agricultural land-sq. km" })
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

    private static TwoLevelRequest ModelRequest(TrainRequest request, TwoLevelCatalog catalog) => new(
        catalog.ParseYear(request.TargetYear), request.Target, request.Dataset, request.Scheme, request.ManualPredictors, request.NumberPredictor,
        request.Interpolator, request.Estimators, request.Model, request.Interval, request.Approach);

    /// <summary>
    /// Validates as the Python backend did, then answers from the cache of identical requests or computes
    /// (within the compute gate); logs the duration as the Python backend's "Time Consumed" line (its
    /// time-estimate query parsed it) and records it for the time estimates.
    /// </summary>
    private static async Task<IResult> Predict(HttpContext http, TwoLevelImputationModel model, TwoLevelCatalog catalog, SingleFlightCache<byte[]> cache,
        ComputeGate gate, IDurationRecorder durations, Metrics metrics, ILoggerFactory logs)
    {
        var started = Stopwatch.GetTimestamp();
        var request = await http.ReadBodyAsync<TrainRequest>();
        var status = PredictDuration.Refused;
        var computed = false;
        try
        {
            var modelRequest = model.Validate(ModelRequest(request, catalog));
            var key = catalog.Table.Version + JsonSerializer.Serialize(request, SidsJson.Options);
            var answer = await cache.GetOrComputeAsync(key, ct =>
            {
                computed = true;
                return gate.RunAsync(async inner =>
                {
                    var result = await model.RunAsync(modelRequest, inner);
                    var t = result.Timings;
                    logs.CreateLogger("SidsFunctions.TwoLevelImputation").LogInformation(
                        "Stages (ms): level one {LevelOne:F0}{Cached}, selection {Selection:F0}, grid search {GridSearch:F0}, intervals {Intervals:F0}, total {Total:F0}",
                        t.LevelOne.TotalMilliseconds, t.LevelOneCached ? " (cached)" : "", t.Selection.TotalMilliseconds, t.GridSearch.TotalMilliseconds,
                        t.Intervals.TotalMilliseconds, t.Total.TotalMilliseconds);
                    return JsonSerializer.SerializeToUtf8Bytes(PredictAnswer.From(result), SidsJson.Options);
                }, ct);
            }, http.RequestAborted);
            status = computed ? PredictDuration.Succeeded : PredictDuration.Cached;
            return TypedResults.Bytes(answer, "application/json");
        }
        catch (Exception e) when (e is not InvalidInputException and not OperationCanceledException and not OverloadedException)
        {
            status = PredictDuration.Failed;
            throw;
        }
        finally
        {
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var scheme = EnumValues.Name(request.Scheme);
            var predictors = request.Scheme == Scheme.MANUAL ? request.ManualPredictors?.Count ?? 0 : request.NumberPredictor ?? 0;
            logs.CreateLogger("SidsFunctions.TwoLevelImputation").LogInformation(
                "Time Consumed(s)={Seconds} scheme={Scheme} model={Model} estimators={Estimators} predictors={Predictors} interpolator={Interpolator} interval={Interval} target={Target} target_year={TargetYear} status={Status}",
                seconds.ToString("F3", CultureInfo.InvariantCulture), scheme, EnumValues.Name(request.Model), request.Estimators, predictors,
                EnumValues.Name(request.Interpolator), EnumValues.Name(request.Interval), request.Target, request.TargetYear, status);
            metrics.Track("PredictSeconds", seconds, "scheme", scheme);
            durations.Record(new PredictDuration(DateTimeOffset.UtcNow, scheme, EnumValues.Name(request.Model), request.Estimators, predictors,
                EnumValues.Name(request.Interpolator), seconds, status, request.Scheme == Scheme.MANUAL ? request.ManualPredictors : null));
        }
    }

    /// <summary>The checks predict makes (a request predict would refuse gets no estimate), then the estimate for the request's settings.</summary>
    private static async Task<double> Estimate(HttpContext http, TwoLevelImputationModel model, TwoLevelCatalog catalog, TimeEstimateService estimates)
    {
        var request = await http.ReadBodyAsync<TrainRequest>();
        model.Validate(ModelRequest(request, catalog));
        var predictors = request.Scheme == Scheme.MANUAL ? request.ManualPredictors?.Count ?? 0 : request.NumberPredictor ?? 0;
        return await estimates.EstimateSecondsAsync(new PredictSettings(EnumValues.Name(request.Scheme), EnumValues.Name(request.Interpolator),
            EnumValues.Name(request.Model), request.Estimators, predictors), http.RequestAborted);
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
