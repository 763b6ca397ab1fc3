using System.ComponentModel;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SidsFunctions.Hosting;
using SidsFunctions.Hosting.Errors;
using Swashbuckle.AspNetCore.SwaggerUI;

namespace SidsFunctions.Platform;

/// <summary>
/// The Platform functions: greeting, dataset files, model parameters, health, the OpenAPI document and
/// Swagger UI, and the answer for paths and methods no other function takes (404, 405, OPTIONS).
/// </summary>
[FunctionGroup("Platform")]
public sealed class PlatformFunction(IServiceProvider services)
{
    [Function("Root")]
    [Description("A greeting: the service is up.")]
    [Answers(typeof(RootAnswer), Example = nameof(RootExample))]
    // An optional segment that must be empty: "/" only (an empty Route would mean the function's name).
    public IActionResult Root([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "{root:regex(^$)?}")] HttpRequest req) =>
        Answer.Ok(RootExample);

    [Function("ListDatasetFiles")]
    [Description("The files in the dataset location (as the Python backend listed its datasets folder).")]
    [Answers(typeof(IReadOnlyList<string>), Example = nameof(DatasetFilesExample))]
    public IActionResult ListDatasetFiles([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datasets")] HttpRequest req) =>
        Answer.Ok(services.GetRequiredService<DatasetProvider>().Source.ListFiles());

    [Function("ModelParameters")]
    [Description("Each model's main endpoint inputs: labels, types, allowed values, the endpoints that list them, and conditions.")]
    [Answers(typeof(JsonArray), Example = nameof(ParamsExample))]
    public IActionResult ModelParameters([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "params")] HttpRequest req) =>
        Answer.Ok(services.GetRequiredService<ParamsDocument>().Build());

    [Function("Liveness")]
    [Description("200 while the process serves requests.")]
    [Answers(typeof(HealthAnswer), Example = nameof(LiveAnswer))]
    public IActionResult Liveness([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health/live")] HttpRequest req) =>
        Answer.Ok(LiveAnswer);

    [Function("Readiness")]
    [Description("200 when every enabled model can serve (the dataset is loaded); 503 with the reason otherwise.")]
    [Answers(typeof(HealthAnswer), Example = nameof(ReadyExample))]
    [AlsoAnswers(StatusCodes.Status503ServiceUnavailable, typeof(HealthAnswer))]
    public IActionResult Readiness([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health/ready")] HttpRequest req)
    {
        var datasets = services.GetRequiredService<DatasetProvider>();
        var states = services.GetRequiredService<ModelSelection>().Enabled.ToDictionary(m => m, m =>
            !ModelSelection.NeedingDataset.Contains(m) || datasets.IsLoaded ? "ready"
            : datasets.Failure is { } failure ? $"unavailable: {failure}" : "loading");
        var ready = states.Values.All(s => s == "ready");
        var answer = new HealthAnswer(ready ? "ready" : "degraded", datasets.Source.Description,
            datasets.IsLoaded ? datasets.Table.Version : null, states);
        return Answer.From(TypedResults.Json(answer, SidsJson.Options, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable));
    }

    [Function("OpenApiDocument")]
    [Undocumented]
    public IActionResult OpenApiDocument([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi/v1.json")] HttpRequest req) =>
        Answer.From(TypedResults.Text(services.GetRequiredService<OpenApiDocumentBuilder>().Json(req), "application/json; charset=utf-8"));

    /// <summary>Swagger UI over /openapi/v1.json: Swashbuckle's middleware, run as this function's answer.</summary>
    [Function("SwaggerUi")]
    [Undocumented]
    public async Task<IActionResult> SwaggerUi([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs/{*file}")] HttpRequest req)
    {
        await services.GetRequiredService<SwaggerUi>().Serve(req.HttpContext);
        return new EmptyResult();
    }

    /// <summary>
    /// Every path and method the other functions do not take (the host routes literal routes first): 405 for
    /// methods other than GET, POST and OPTIONS, and for a known path asked with a method it does not take
    /// (Allow lists the ones it does); 204 for OPTIONS on a known path that is not a CORS preflight (a
    /// preflight is answered by <see cref="CorsMiddleware"/>); 404 otherwise.
    /// </summary>
    [Function("Fallback")]
    [Undocumented]
    public IActionResult Fallback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "options", "put", "delete", "patch", "head", Route = "{*path}")] HttpRequest req)
    {
        if (!HttpConventions.AllowedMethods.Contains(req.Method))
        {
            return MethodNotAllowed(HttpConventions.AllowedMethodsHeader);
        }
        var methods = services.GetRequiredService<FunctionCatalog>().MethodsOn(req.Path.Value ?? "/", f => f.Name != nameof(Fallback));
        if (methods.Count == 0)
        {
            return Answer.Error(StatusCodes.Status404NotFound, new MessageErrorBody(ErrorHandlingMiddleware.StatusMessage(StatusCodes.Status404NotFound)));
        }
        if (req.Method == HttpMethods.Options)
        {
            req.HttpContext.Response.Headers.Allow = HttpConventions.AllowedMethodsHeader;
            return Answer.From(TypedResults.NoContent());
        }
        return MethodNotAllowed(string.Join(", ", methods));
    }

    private static Answer MethodNotAllowed(string allow) => Answer.Error(StatusCodes.Status405MethodNotAllowed,
        new MessageErrorBody(ErrorHandlingMiddleware.StatusMessage(StatusCodes.Status405MethodNotAllowed)), allow: allow);

    public sealed record RootAnswer(string Message);

    public sealed record HealthAnswer(string Status, string? Dataset, string? DatasetVersion, IReadOnlyDictionary<string, string> Models);

    private static RootAnswer RootExample { get; } = new("Hello SIDS ML Backend V10!");

    private static IReadOnlyList<string> DatasetFilesExample { get; } = ["datasetMeta.csv", "indicatorData.csv", "indicatorMeta.csv"];

    private static HealthAnswer LiveAnswer { get; } = new("alive", null, null, new Dictionary<string, string>());

    private static HealthAnswer ReadyExample { get; } = new("ready", "folder /home/site/wwwroot/datasets", "956e5d9c66b11e12",
        new Dictionary<string, string> { ["twolvlImp"] = "ready", ["CountryCorrelation"] = "ready", ["Statimpute"] = "ready", ["SurveyCluster"] = "ready" });

    private static JsonArray ParamsExample =>
    [
        new JsonObject
        {
            ["model"] = "Statimpute",
            ["label"] = "Functional Imputation",
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["parameter"] = "d",
                ["label"] = "order of the polynomials (1,2 or 3)",
                ["type"] = "integer",
                ["req_endpoint"] = new JsonObject { ["endpoint"] = "/impute" },
                ["conditions"] = new JsonArray(new JsonObject { ["required"] = new JsonArray(new JsonObject { ["method"] = "spline" }, new JsonObject { ["method"] = "polynomial" }) }),
            }),
        },
    ];
}

/// <summary>Swashbuckle's Swagger UI middleware in a pipeline of its own, built once, serving /docs over the app's OpenAPI document.</summary>
public sealed class SwaggerUi
{
    public SwaggerUi(IServiceProvider services)
    {
        var options = new SwaggerUIOptions { RoutePrefix = "docs", DocumentTitle = "SIDS ML Backend" };
        options.ConfigObject.Urls = [new UrlDescriptor { Url = OpenApiDocumentBuilder.DocumentPath, Name = "SIDS ML Backend v1" }];
        var pipeline = new ApplicationBuilder(services);
        pipeline.UseSwaggerUI(options);
        // A file the UI does not have: the 404 every unknown path gets.
        pipeline.Run(context => ErrorHandlingMiddleware.WriteAsync(context, StatusCodes.Status404NotFound,
            new MessageErrorBody(ErrorHandlingMiddleware.StatusMessage(StatusCodes.Status404NotFound))));
        Serve = pipeline.Build();
    }

    public RequestDelegate Serve { get; }
}
