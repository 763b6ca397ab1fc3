using System.Text.Json.Nodes;
using SidsFunctions.Hosting;

namespace SidsFunctions.Platform;

/// <summary>The Platform function: greeting, dataset files, model parameters, OpenAPI and health.</summary>
public static class PlatformFunction
{
    public static IEndpointRouteBuilder MapPlatform(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Platform");
        group.MapGet("/", Root).Answers(new RootAnswer("Hello SIDS ML Backend V10!")).WithName("Root").WithSummary("A greeting: the service is up.");
        group.MapGet("/datasets", Datasets).Answers<IReadOnlyList<string>>(["datasetMeta.csv", "indicatorData.csv", "indicatorMeta.csv"])
            .WithName("ListDatasetFiles")
            .WithSummary("The files in the dataset location (as the Python backend listed its datasets folder).");
        group.MapGet("/params", Params).Answers(ParamsExample).WithName("ModelParameters")
            .WithSummary("Each model's main endpoint inputs: labels, types, allowed values, the endpoints that list them, and conditions.");
        group.MapGet("/health/live", Live).Answers(Live()).WithName("Liveness").WithSummary("200 while the process serves requests.");
        group.MapGet("/health/ready", Ready).Answers(ReadyExample).Produces<HealthAnswer>(StatusCodes.Status503ServiceUnavailable)
            .WithName("Readiness")
            .WithSummary("200 when every enabled model can serve (the dataset is loaded); 503 with the reason otherwise.");
        app.MapSidsOpenApi();
        return app;
    }

    public sealed record RootAnswer(string Message);

    public sealed record HealthAnswer(string Status, string? Dataset, string? DatasetVersion, IReadOnlyDictionary<string, string> Models);

    private static RootAnswer Root() => new("Hello SIDS ML Backend V10!");

    private static readonly HealthAnswer ReadyExample = new("ready", "folder /home/site/wwwroot/datasets", "956e5d9c66b11e12",
        new Dictionary<string, string> { ["twolvlImp"] = "ready", ["CountryCorrelation"] = "ready", ["Statimpute"] = "ready", ["SurveyCluster"] = "ready" });

    private static readonly JsonArray ParamsExample =
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

    private static IReadOnlyList<string> Datasets(DatasetProvider datasets) => datasets.Source.ListFiles();

    private static JsonArray Params(ParamsDocument document) => document.Build();

    private static HealthAnswer Live() => new("alive", null, null, new Dictionary<string, string>());

    private static IResult Ready(DatasetProvider datasets, ModelSelection models)
    {
        var states = models.Enabled.ToDictionary(m => m, m =>
            !ModelSelection.NeedingDataset.Contains(m) || datasets.IsLoaded ? "ready"
            : datasets.Failure is { } failure ? $"unavailable: {failure}" : "loading");
        var ready = states.Values.All(s => s == "ready");
        var answer = new HealthAnswer(ready ? "ready" : "degraded", datasets.Source.Description,
            datasets.IsLoaded ? datasets.Table.Version : null, states);
        return TypedResults.Json(answer, SidsJson.Options, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
