using System.Text.Json.Nodes;
using SidsFunctions.Hosting;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.Platform;

/// <summary>
/// The function app as the Functions host reads it: host.json (no route prefix, no custom handler),
/// worker.config.json (a dotnet-isolated worker) and functions.metadata (what the Worker SDK generated from
/// the [Function] attributes: every function's name, trigger, route and methods).
/// </summary>
public static class FunctionAppLayout
{
    /// <summary>Every function of the app: name, route, methods (the paths and methods the Python backend answered, the platform's, the fallback).</summary>
    public static readonly IReadOnlyList<(string Name, string? Route, string[] Methods)> Expected =
    [
        ("Root", "{root:regex(^$)?}", ["get"]),
        ("ListDatasetFiles", "datasets", ["get"]),
        ("ModelParameters", "params", ["get"]),
        ("Liveness", "health/live", ["get"]),
        ("Readiness", "health/ready", ["get"]),
        ("OpenApiDocument", "openapi/v1.json", ["get"]),
        ("SwaggerUi", "docs/{*file}", ["get"]),
        ("Fallback", "{*path}", ["get", "post", "options", "put", "delete", "patch", "head"]),
        ("TargetSampleSize", "twolvlImp/target_sample_size", ["get"]),
        ("PredictorSampleSize", "twolvlImp/predictor_sample_size", ["get"]),
        ("TargetYears", "twolvlImp/target_years", ["get"]),
        ("Datasets", "twolvlImp/datasets", ["get"]),
        ("Targets", "twolvlImp/targets", ["get"]),
        ("Dimensions", "twolvlImp/dimensions", ["get"]),
        ("Predict", "twolvlImp/predict", ["post"]),
        ("Estimate", "twolvlImp/estimate", ["post"]),
        ("Predictors", "twolvlImp/predictors", ["post"]),
        ("Correlate", "correlation/correlate", ["post"]),
        ("Cluster", "correlation/cluster", ["post"]),
        ("StatImputeCountries", "statimpute/countries", ["get"]),
        ("StatImpute", "statimpute/impute", ["post"]),
        ("SurveyClustering", "survey/clustering", ["post"]),
        ("AggregateTimeEstimates", null, []),
    ];

    /// <summary>functions.metadata of a function app folder, as (name, route, methods) and the trigger bindings.</summary>
    public static IReadOnlyList<(string Name, string? Route, string[] Methods, JsonObject Trigger)> Metadata(string folder) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "functions.metadata")))!.AsArray()
            .Select(f =>
            {
                var trigger = f!["bindings"]!.AsArray().Select(b => b!.AsObject()).Single(b => b["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal));
                return (f["name"]!.GetValue<string>(), trigger["route"]?.GetValue<string>(),
                    trigger["methods"]?.AsArray().Select(m => m!.GetValue<string>()).ToArray() ?? [], trigger);
            })
            .ToArray();

    /// <summary>What a function app folder must hold, asserted for the build output here and for the publish output in the deployment tests.</summary>
    public static void AssertIsTheFunctionApp(string folder)
    {
        var metadata = Metadata(folder);
        Assert.Equal(Expected.Select(e => $"{e.Name} {e.Route} {string.Join(',', e.Methods)}").Order(StringComparer.Ordinal),
            metadata.Select(m => $"{m.Name} {m.Route} {string.Join(',', m.Methods)}").Order(StringComparer.Ordinal));
        Assert.All(metadata.Where(m => m.Route is not null), m =>
        {
            Assert.Equal("httpTrigger", m.Trigger["type"]!.GetValue<string>());
            Assert.Equal("anonymous", m.Trigger["authLevel"]!.GetValue<string>(), ignoreCase: true);
        });
        var timer = metadata.Single(m => m.Name == "AggregateTimeEstimates").Trigger;
        Assert.Equal("timerTrigger", timer["type"]!.GetValue<string>());
        Assert.Equal($"%{SettingNames.TimeEstimateSchedule}%", timer["schedule"]!.GetValue<string>());

        var worker = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "worker.config.json")))!["description"]!;
        Assert.Equal("dotnet-isolated", worker["language"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(folder, worker["defaultWorkerPath"]!.GetValue<string>())), "the worker assembly worker.config.json names");

        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "host.json")))!;
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Null(host["customHandler"]);
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.Empty(Directory.EnumerateFiles(folder, "function.json", SearchOption.AllDirectories));
        // The sample dataset (a run with no storage may have written its time_consumption beside it).
        Assert.Equal(["datasetMeta.csv", "indicatorData.csv", "indicatorMeta.csv"],
            Directory.EnumerateFiles(Path.Combine(folder, "datasets"), "*.csv").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

}

public sealed class FunctionLayoutTests
{
    [Fact]
    public void TheBuildOutputIsTheFunctionAppWithEveryFunction() => FunctionAppLayout.AssertIsTheFunctionApp(BuiltApp.ScriptRoot);

    [Fact]
    public void TheSourcesHoldNoFunctionJsonAndHostJsonIsTheIsolatedWorkersOne()
    {
        var sources = Directory.EnumerateFiles(Repository.PathOf("SidsFunctions"), "function.json", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        Assert.Empty(sources);
        Assert.Equal(File.ReadAllText(Repository.PathOf("host.json")), File.ReadAllText(Path.Combine(BuiltApp.ScriptRoot, "host.json")));
        var settings = JsonNode.Parse(File.ReadAllText(Repository.PathOf("local.settings.sample.json")))!["Values"]!;
        Assert.Equal("dotnet-isolated", settings["FUNCTIONS_WORKER_RUNTIME"]!.GetValue<string>());
        Assert.NotNull(settings[SettingNames.TimeEstimateSchedule]);
    }

    [Fact]
    public void TheCatalogTheAppDescribesItselfWithIsTheMetadataTheHostRoutesBy()
    {
        var catalog = FunctionCatalog.Read(typeof(FunctionCatalog).Assembly);
        Assert.Equal(FunctionAppLayout.Expected.Where(e => e.Route is not null).Select(e => $"{e.Name} {e.Route} {string.Join(',', e.Methods).ToUpperInvariant()}").Order(StringComparer.Ordinal),
            catalog.Select(f => $"{f.Name} {f.Route} {string.Join(',', f.Methods)}").Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("/", "Root")]
    [InlineData("/params", "ModelParameters")]
    [InlineData("/docs", "SwaggerUi")]
    [InlineData("/docs/index.html", "SwaggerUi")]
    [InlineData("/openapi/v1.json", "OpenApiDocument")]
    [InlineData("/twolvlImp/predict", "Predict")]
    [InlineData("/paramsx", null)]
    [InlineData("/index", null)]
    public void EachPathIsTheFunctionsWhoseRouteMatchesIt(string path, string? function)
    {
        var matching = FunctionCatalog.Read(typeof(FunctionCatalog).Assembly).Where(f => f.Name != "Fallback" && f.Matches(path)).Select(f => f.Name);
        Assert.Equal(function is null ? [] : [function], matching);
    }
}
