using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SidsFunctions.Hosting;
using SidsFunctions.Hosting.Errors;
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
public static class TwoLevelImputationRegistration
{
    public static IServiceCollection AddTwoLevelImputation(this IServiceCollection services) => services
        .AddSingleton(sp => new TwoLevelCatalog(sp.GetRequiredService<DatasetProvider>().Table))
        .AddSingleton(sp => new TwoLevelImputationModel(sp.GetRequiredService<TwoLevelCatalog>()))
        .AddSingleton<IStartupWarmup, TwoLevelWarmup>();
}

/// <summary>
/// The TwoLevelImputation functions: fill a SIDS indicator's missing values for one year (/twolvlImp/*),
/// with the Python backend's paths, fields, answers and error messages.
/// </summary>
[FunctionGroup("Two Level Imputation", Model = ModelSelection.TwoLevelImputation, Prefix = Prefix)]
public sealed class TwoLevelImputationFunction(IServiceProvider services)
{
    public const string Prefix = "/" + Route;
    private const string Route = "twolvlImp";

    /// <summary>The category of the "Time Consumed" and stage-timing lines (log parsers and the worker's console read it).</summary>
    public const string LogCategory = "SidsFunctions.TwoLevelImputation";

    private T Get<T>() where T : notnull => services.GetRequiredService<T>();

    [Function("TargetSampleSize")]
    [Description("Countries a target must be observed in (at least 20% of them).")]
    [Answers(typeof(int), Example = nameof(TargetSampleSizeExample))]
    public IActionResult TargetSampleSize([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route + "/target_sample_size")] HttpRequest req) =>
        Answer.Ok(Get<TwoLevelCatalog>().TargetSampleSize);

    [Function("PredictorSampleSize")]
    [Description("Countries a predictor must be observed in (at least 70% of them).")]
    [Answers(typeof(int), Example = nameof(PredictorSampleSizeExample))]
    public IActionResult PredictorSampleSize([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route + "/predictor_sample_size")] HttpRequest req) =>
        Answer.Ok(Get<TwoLevelCatalog>().PredictorSampleSize);

    [Function("TargetYears")]
    [Description("The years a target may be imputed for.")]
    [Answers(typeof(IReadOnlyList<string>), Example = nameof(TargetYearsExample))]
    public IActionResult TargetYears([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route + "/target_years")] HttpRequest req) =>
        Answer.Ok(TwoLevelCatalog.SupportedYears);

    [Function("Datasets")]
    [Description("Datasets holding targets for the year: code → name.")]
    [Binds(typeof(DatasetsQuery), RequestSource.Query)]
    [AlsoAnswers(StatusCodes.Status422UnprocessableEntity, typeof(DomainErrorBody))]
    [Answers(typeof(IReadOnlyDictionary<string, string>), Example = nameof(DatasetsExample))]
    public IActionResult Datasets([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route + "/datasets")] HttpRequest req) =>
        Answer.Ok(Datasets(req.HttpContext, Get<TwoLevelCatalog>()));

    [Function("Targets")]
    [Description("Indicators that may be imputed in the year: code → name (every dataset's, as the Python backend answered).")]
    [Binds(typeof(TargetsQuery), RequestSource.Query)]
    [AlsoAnswers(StatusCodes.Status422UnprocessableEntity, typeof(DomainErrorBody))]
    [Answers(typeof(IReadOnlyDictionary<string, string>), Example = nameof(TargetsExample))]
    public IActionResult Targets([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route + "/targets")] HttpRequest req) =>
        Answer.Ok(Targets(req.HttpContext, Get<TwoLevelCatalog>()));

    [Function("Dimensions")]
    [Description("The dimensions (units) of an indicator, by name (or one of its codes), offered as targets in the year.")]
    [Binds(typeof(DimensionsQuery), RequestSource.Query)]
    [AlsoAnswers(StatusCodes.Status422UnprocessableEntity, typeof(DomainErrorBody))]
    [Answers(typeof(IReadOnlyList<DimensionOption>), Example = nameof(DimensionsExample))]
    public IActionResult Dimensions([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route + "/dimensions")] HttpRequest req) =>
        Answer.Ok(Dimensions(req.HttpContext, Get<TwoLevelCatalog>()));

    [Function("Predict")]
    [Description("Impute a SIDS indicator's missing values for one year: level one fills the predictors' gaps, level two selects predictors and trains cross-validated tree ensembles weighted for SIDS, with 90% prediction intervals.")]
    [Binds(typeof(TrainRequest), RequestSource.Body)]
    [AlsoAnswers(StatusCodes.Status422UnprocessableEntity, typeof(DomainErrorBody))]
    [Answers(typeof(PredictAnswer), Example = nameof(PredictExample))]
    [AlsoAnswers(StatusCodes.Status503ServiceUnavailable, typeof(MessageErrorBody))]
    [MainEndpoint("Two Level Imputation")]
    public async Task<IActionResult> Predict([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route + "/predict")] HttpRequest req) =>
        Answer.From(await Predict(req.HttpContext, Get<TwoLevelImputationModel>(), Get<TwoLevelCatalog>(), Get<SingleFlightCache<byte[]>>(),
            Get<ComputeGate>(), Get<IDurationRecorder>(), Get<Metrics>(), Get<ILoggerFactory>()));

    [Function("Estimate")]
    [Description("Seconds a predict with these settings takes, from recent predicts (time_consumption): their mean for the same scheme, interpolator, model, trees, predictor count, approach and interval, else a line through the nearest settings (of the same approach and interval when there are any), else the scheme's mean; 120 when unknown.")]
    [Binds(typeof(TrainRequest), RequestSource.Body)]
    [AlsoAnswers(StatusCodes.Status422UnprocessableEntity, typeof(DomainErrorBody))]
    [Answers(typeof(double), Example = nameof(EstimateExample))]
    public async Task<IActionResult> Estimate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route + "/estimate")] HttpRequest req) =>
        Answer.Ok(await Estimate(req.HttpContext, Get<TwoLevelImputationModel>(), Get<TwoLevelCatalog>(), Get<TimeEstimateService>()));

    [Function("Predictors")]
    [Description("MANUAL: predictors offered for the year (code → \"name-dimension\"), the target and its copies left out; AFS/PCA: the allowed predictor counts.")]
    [Binds(typeof(PredictorListRequest), RequestSource.Body)]
    [AlsoAnswers(StatusCodes.Status422UnprocessableEntity, typeof(DomainErrorBody))]
    [Answers(typeof(IReadOnlyDictionary<string, string>), Example = nameof(PredictorsExample))]
    public async Task<IActionResult> Predictors([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route + "/predictors")] HttpRequest req) =>
        Answer.From(await Predictors(req.HttpContext, Get<TwoLevelCatalog>()));

    private static int TargetSampleSizeExample => 44;

    private static int PredictorSampleSizeExample => 152;

    private static IReadOnlyList<string> TargetYearsExample => TwoLevelCatalog.SupportedYears;

    private static IReadOnlyDictionary<string, string> DatasetsExample { get; } =
        new Dictionary<string, string> { ["key"] = "SIDS Key Indicators", ["wdi"] = "World Development Indicators" };

    private static IReadOnlyDictionary<string, string> TargetsExample { get; } = new Dictionary<string, string>
    {
        ["key-wdi-EG.ELC.ACCS.ZS"] = "Access to electricity (% of population)",
        ["wdi-SP.DYN.LE00.IN"] = "Life expectancy at birth",
    };

    private static IReadOnlyList<DimensionOption> DimensionsExample { get; } = [new DimensionOption("% of population", "wdi-EG.ELC.ACCS.ZS")];

    private static PredictAnswer PredictExample => PredictAnswer.Example;

    private static double EstimateExample => 477.5;

    private static IReadOnlyDictionary<string, string> PredictorsExample { get; } =
        new Dictionary<string, string> { ["wdi-AG.LND.AGRI.K2"] = "Agricultural land-sq. km" };

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
                    logs.CreateLogger(LogCategory).LogInformation(
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
            var settings = SettingsOf(request);
            logs.CreateLogger(LogCategory).LogInformation(
                "Time Consumed(s)={Seconds} scheme={Scheme} model={Model} estimators={Estimators} predictors={Predictors} interpolator={Interpolator} interval={Interval} approach={Approach} target={Target} target_year={TargetYear} status={Status}",
                seconds.ToString("F3", CultureInfo.InvariantCulture), settings.Scheme, settings.Model, settings.Estimators, settings.Predictors,
                settings.Interpolator, settings.Interval, settings.Approach, request.Target, request.TargetYear, status);
            metrics.Track("PredictSeconds", seconds, "scheme", settings.Scheme);
            durations.Record(new PredictDuration(DateTimeOffset.UtcNow, settings.Scheme, settings.Model!, request.Estimators, settings.Predictors!.Value,
                settings.Interpolator!, seconds, status, request.Scheme == Scheme.MANUAL ? request.ManualPredictors : null, settings.Approach,
                settings.Interval));
        }
    }

    /// <summary>
    /// <see cref="Predict(HttpContext, TwoLevelImputationModel, TwoLevelCatalog, SingleFlightCache{byte[]}, ComputeGate, IDurationRecorder, Metrics, ILoggerFactory)"/>
    /// on <paramref name="body"/> outside any HTTP request, writing its answer to memory: with the given model, an answer cache of its own,
    /// and no duration, log line or metric (<see cref="TwoLevelWarmup"/>).
    /// </summary>
    internal static async Task PredictUnrecordedAsync(IServiceProvider services, TwoLevelImputationModel model, byte[] body, CancellationToken cancellationToken)
    {
        var http = new DefaultHttpContext { RequestServices = services, RequestAborted = cancellationToken };
        http.Request.Method = HttpMethods.Post;
        http.Request.ContentType = "application/json";
        http.Request.ContentLength = body.Length;
        http.Request.Body = new MemoryStream(body);
        http.Response.Body = new MemoryStream();
        var answer = await Predict(http, model, services.GetRequiredService<TwoLevelCatalog>(), new SingleFlightCache<byte[]>(1),
            services.GetRequiredService<ComputeGate>(), new TwoLevelWarmup.NoDurations(),
            new Metrics(Microsoft.Extensions.Logging.Abstractions.NullLogger<Metrics>.Instance), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        await answer.ExecuteAsync(http);
    }

    /// <summary>The checks predict makes (a request predict would refuse gets no estimate), then the estimate for the request's settings.</summary>
    private static async Task<double> Estimate(HttpContext http, TwoLevelImputationModel model, TwoLevelCatalog catalog, TimeEstimateService estimates)
    {
        var request = await http.ReadBodyAsync<TrainRequest>();
        model.Validate(ModelRequest(request, catalog));
        return await estimates.EstimateSecondsAsync(SettingsOf(request), http.RequestAborted);
    }

    /// <summary>
    /// The settings a predict's duration is recorded under and an estimate is looked up by: one derivation for
    /// both, so an estimate finds exactly the durations of requests like it.
    /// </summary>
    private static PredictSettings SettingsOf(TrainRequest request) => new(EnumValues.Name(request.Scheme), EnumValues.Name(request.Interpolator),
        EnumValues.Name(request.Model), request.Estimators,
        request.Scheme == Scheme.MANUAL ? request.ManualPredictors?.Count ?? 0 : request.NumberPredictor ?? 0, EnumValues.Name(request.Approach),
        EnumValues.Name(request.Interval));

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
