using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SidsFunctions.Storage;
using SidsFunctions.Tests.Infrastructure;
using SidsFunctions.Tests.Storage;
using SidsFunctions.Tests.TimeEstimates;
using SidsFunctions.TimeEstimates;

namespace SidsFunctions.Tests.AggregateTimeEstimates;

/// <summary>The app with given settings (storage, schedule), on the sample dataset unless they say otherwise.</summary>
public sealed class ConfiguredAppFactory(IReadOnlyDictionary<string, string?> settings) : SidsAppFactory(settings);

/// <summary>
/// The timer as the Functions host invokes it (POST /AggregateTimeEstimates with the host's timer payload,
/// against Azurite), as it runs alone (the in-process schedule), and with no storage configured (folders).
/// </summary>
public sealed class AggregateTimeEstimatesFunctionTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    /// <summary>The invocation the Functions host posts for a timer trigger (as shared/tools/check.py sends it).</summary>
    private const string HostInvocation =
        "{\"Data\":{\"timer\":{\"Schedule\":{\"AdjustForDST\":true},\"ScheduleStatus\":null,\"IsPastDue\":false}},"
        + "\"Metadata\":{\"sys\":{\"MethodName\":\"AggregateTimeEstimates\",\"UtcNow\":\"2026-11-21T12:00:00Z\",\"RandGuid\":\"0f8fad5b-d9cb-469f-a165-70867728950e\"}}}";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string SampleDatasetCopy(bool withPythonEstimates)
    {
        var folder = Directory.CreateTempSubdirectory("dataset-").FullName;
        foreach (var file in Directory.EnumerateFiles(SidsAppFactory.SampleDatasetFolder))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        if (withPythonEstimates)
        {
            File.WriteAllText(Path.Combine(folder, TimeEstimateOptions.DocumentName), TimeEstimateAggregatorTests.PythonDocument);
        }
        return folder;
    }

    /// <summary>The app on this class's Azurite, with containers of its own and the timer left to the host.</summary>
    private ConfiguredAppFactory OnAzurite(string datasets) => new(new Dictionary<string, string?>
    {
        ["AzureWebJobsStorage"] = fixture.Azurite.ConnectionString,
        ["DATASETS_CONTAINER"] = datasets,
        ["DURATIONS_CONTAINER"] = Names.Container("telemetry"),
        ["TIME_ESTIMATE_SCHEDULER"] = "off",
    });

    [Fact]
    public async Task TheHostsTimerInvocationPublishesTheAverageThatTheEstimateThenAnswers()
    {
        var datasets = Names.Container("datasets");
        await using var factory = OnAzurite(datasets);
        using var client = factory.CreateClient();
        var recorder = factory.Services.GetRequiredService<IDurationRecorder>();
        foreach (var seconds in new[] { 0.5, 0.25, 0.75 })
        {
            recorder.Record(Durations.Of("MANUAL", seconds, DateTimeOffset.UtcNow));
        }

        var response = await client.PostAsync("/AggregateTimeEstimates", Json(HostInvocation));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = (await response.ReadJsonAsync())!.AsObject();
        Assert.Equal(["Outputs", "Logs", "ReturnValue"], answer.Select(p => p.Key));
        Assert.Empty(answer["Outputs"]!.AsObject());
        Assert.Null(answer["ReturnValue"]);
        Assert.Contains(answer["Logs"]!.AsArray(), l => l!.GetValue<string>().StartsWith("wrote ", StringComparison.Ordinal));

        var document = JsonNode.Parse((await fixture.Azurite.Store().GetAsync(datasets, TimeEstimateOptions.DocumentName)).Content!)!;
        var manual = document["value"]!.AsArray().Single()!;
        Assert.Equal("MANUAL", manual["scheme_e"]!.GetValue<string>());
        Assert.Equal(0.5, manual["avg_time_parsed"]!.GetValue<double>(), 12);
        Assert.Equal(3, manual["count"]!.GetValue<int>());
        Assert.Equal(0.5, await factory.Services.GetRequiredService<TimeEstimateService>().EstimateSecondsAsync("MANUAL"), 12);
    }

    [Fact]
    public async Task TheEstimateAnswersFromTheRecordedDurationsOfTheRequestsOwnSettings()
    {
        var datasets = Names.Container("datasets");
        await using var factory = OnAzurite(datasets);
        using var client = factory.CreateClient();
        static object Body(int estimators, string model) => new
        {
            manual_predictors = new[] { "wdi-AG.LND.AGRI.K2" }, target_year = "2001", target = "key-wdi-EG.ELC.ACCS.ZS", interpolator = "KNNImputer",
            scheme = "MANUAL", estimators, model, interval = "quantile", dataset = "key",
        };
        async Task<JsonNode> Aggregate()
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/AggregateTimeEstimates", Json(HostInvocation))).StatusCode);
            return JsonNode.Parse((await fixture.Azurite.Store().GetAsync(datasets, TimeEstimateOptions.DocumentName)).Content!)!["value"]!.AsArray().Single()!;
        }
        async Task<double> Estimate(object body) => (await (await client.PostJsonAsync("/twolvlImp/estimate", body)).ReadJsonAsync())!.GetValue<double>();

        // As shared/tools/check.py timer: three identical predicts (one computed, two from the cache), the timer, then the estimate.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/twolvlImp/predict", Body(10, "rfr"))).StatusCode);
        }
        var manual = await Aggregate();
        Assert.Equal(1, manual["count"]!.GetValue<int>());
        Assert.Equal(manual["avg_time_parsed"]!.GetValue<double>(), await Estimate(Body(10, "rfr")));

        // Other settings get their own row, and each request its own figure.
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/twolvlImp/predict", Body(30, "etr"))).StatusCode);
        manual = await Aggregate();
        var rows = manual["settings"]!.AsArray().ToDictionary(r => $"{r!["model"]} {r["estimators"]}", r => r!["avg_time_parsed"]!.GetValue<double>());
        Assert.Equal(["etr 30", "rfr 10"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(rows["rfr 10"], await Estimate(Body(10, "rfr")));
        Assert.Equal(rows["etr 30"], await Estimate(Body(30, "etr")));
        Assert.Equal((rows["rfr 10"] + rows["etr 30"]) / 2, manual["avg_time_parsed"]!.GetValue<double>(), 12);
    }

    [Fact]
    public async Task StorageThatCannotBeReachedIsA503WithTheInvocationShapeNotA500()
    {
        await using var factory = new ConfiguredAppFactory(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = $"AccountName=devstoreaccount1;AccountKey={Azurite.DevelopmentKey};BlobEndpoint=http://127.0.0.1:9/devstoreaccount1",
            ["TIME_ESTIMATE_SCHEDULER"] = "off",
        });
        using var client = factory.CreateClient();

        var response = await client.PostAsync("/AggregateTimeEstimates", Json(HostInvocation));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var answer = (await response.ReadJsonAsync())!.AsObject();
        Assert.Contains(answer["Logs"]!.AsArray(), l => l!.GetValue<string>().StartsWith("failed: Cannot list", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithNoStorageConfiguredTheDatasetFolderHoldsTimeConsumptionAsForThePythonBackend()
    {
        var dataset = SampleDatasetCopy(withPythonEstimates: true);
        var storage = Directory.CreateTempSubdirectory("storage-").FullName;
        try
        {
            await using var factory = new ConfiguredAppFactory(new Dictionary<string, string?>
            {
                ["DATASET_PATH"] = dataset,
                ["LOCAL_STORAGE_PATH"] = storage,
                ["TIME_ESTIMATE_SCHEDULER"] = "off",
            });
            using var client = factory.CreateClient();
            var estimates = factory.Services.GetRequiredService<TimeEstimateService>();
            // The Python backend's file beside the CSVs.
            Assert.Equal(477.5, await estimates.EstimateSecondsAsync("AFS"));
            Assert.Equal(120, await estimates.EstimateSecondsAsync("PCA"));

            factory.Services.GetRequiredService<IDurationRecorder>().Record(Durations.Of("PCA", 9, DateTimeOffset.UtcNow));
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/AggregateTimeEstimates", Json(HostInvocation))).StatusCode);

            Assert.Single(Directory.GetFiles(Path.Combine(storage, "telemetry", "durations"), "*.jsonl"));
            var written = TimeConsumption.Parse(await File.ReadAllBytesAsync(Path.Combine(dataset, TimeEstimateOptions.DocumentName)));
            Assert.Equal(["AFS", "MANUAL", "PCA"], written.Schemes.Select(s => s.Scheme));
            Assert.Equal(9, await estimates.EstimateSecondsAsync("PCA"));
            Assert.Equal(477.5, await estimates.EstimateSecondsAsync("AFS"));
            Assert.Contains(TimeEstimateOptions.DocumentName, (await (await client.GetAsync("/datasets")).ReadJsonAsync())!.AsArray().Select(f => f!.GetValue<string>()));
        }
        finally
        {
            Directory.Delete(dataset, recursive: true);
            Directory.Delete(storage, recursive: true);
        }
    }

    [Fact]
    public async Task RunningAloneTheTimerRunsOnItsScheduleInProcess()
    {
        var dataset = SampleDatasetCopy(withPythonEstimates: false);
        var storage = Directory.CreateTempSubdirectory("storage-").FullName;
        try
        {
            await using var factory = new ConfiguredAppFactory(new Dictionary<string, string?>
            {
                ["DATASET_PATH"] = dataset,
                ["LOCAL_STORAGE_PATH"] = storage,
                ["TIME_ESTIMATE_SCHEDULE"] = "* * * * * *", // every second
                ["TIME_ESTIMATE_SCHEDULER"] = "auto", // tests turn it off by default; this one runs alone as `dotnet run` does
            });
            using var client = factory.CreateClient();
            Assert.True(factory.Services.GetRequiredService<TimeEstimateOptions>().RunSchedulerInProcess);
            factory.Services.GetRequiredService<IDurationRecorder>().Record(Durations.Of("AFS", 42, DateTimeOffset.UtcNow));

            var estimates = factory.Services.GetRequiredService<TimeEstimateService>();
            await Durations.Eventually(async () => await estimates.EstimateSecondsAsync("AFS") == 42, "the scheduled run");
            Assert.True(File.Exists(Path.Combine(dataset, TimeEstimateOptions.DocumentName)));
        }
        finally
        {
            Directory.Delete(dataset, recursive: true);
            Directory.Delete(storage, recursive: true);
        }
    }

    [Theory]
    [InlineData("auto", null)] // alone, as `dotnet run` runs it: the in-process timer, yearly here, runs at once too
    [InlineData("auto", "7399")] // with the custom handler's port (as shared/tools/check.py starts it): no in-process timer
    public async Task TheHostsAdminCallRunsTheTimerNowForLocalCallersOnly(string scheduler, string? port)
    {
        var dataset = SampleDatasetCopy(withPythonEstimates: false);
        var storage = Directory.CreateTempSubdirectory("storage-").FullName;
        try
        {
            await using var factory = new ConfiguredAppFactory(new Dictionary<string, string?>
            {
                ["DATASET_PATH"] = dataset,
                ["LOCAL_STORAGE_PATH"] = storage,
                ["TIME_ESTIMATE_SCHEDULE"] = "0 0 0 1 1 *",
                ["TIME_ESTIMATE_SCHEDULER"] = scheduler,
                ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port,
            });
            using var client = factory.CreateClient();
            Assert.Equal(port is null, factory.Services.GetRequiredService<TimeEstimateOptions>().RunSchedulerInProcess);
            factory.Services.GetRequiredService<IDurationRecorder>().Record(Durations.Of("PCA", 7, DateTimeOffset.UtcNow));

            var forwarded = new HttpRequestMessage(HttpMethod.Post, "/admin/functions/AggregateTimeEstimates") { Content = Json("{\"input\":\"\"}") };
            forwarded.Headers.Add("X-Forwarded-For", "203.0.113.7");
            Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(forwarded)).StatusCode);
            Assert.False(File.Exists(Path.Combine(dataset, TimeEstimateOptions.DocumentName)));

            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/admin/functions/AggregateTimeEstimates", Json("{\"input\":\"\"}"))).StatusCode);
            var estimates = factory.Services.GetRequiredService<TimeEstimateService>();
            await Durations.Eventually(async () => await estimates.EstimateSecondsAsync("PCA") == 7, "the run the admin call asked for");
            Assert.True(File.Exists(Path.Combine(dataset, TimeEstimateOptions.DocumentName)));
        }
        finally
        {
            Directory.Delete(dataset, recursive: true);
            Directory.Delete(storage, recursive: true);
        }
    }

    [Fact]
    public async Task AnInvalidScheduleStopsStartUpNamingTheSetting()
    {
        await using var invalid = new ConfiguredAppFactory(new Dictionary<string, string?> { ["TIME_ESTIMATE_SCHEDULE"] = "every hour" });
        var error = Assert.ThrowsAny<Exception>(() => invalid.CreateClient());
        Assert.Contains("TIME_ESTIMATE_SCHEDULE is 'every hour'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnderTheFunctionsHostTheHostsTimerIsTheOnlyOne()
    {
        var storage = Directory.CreateTempSubdirectory("storage-").FullName;
        var dataset = SampleDatasetCopy(withPythonEstimates: false);
        try
        {
            await using var factory = new ConfiguredAppFactory(new Dictionary<string, string?>
            {
                ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7399",
                ["DATASET_PATH"] = dataset,
                ["LOCAL_STORAGE_PATH"] = storage,
                ["TIME_ESTIMATE_SCHEDULE"] = "* * * * * *", // every second, if it ran in-process
            });
            using var client = factory.CreateClient();
            Assert.False(factory.Services.GetRequiredService<TimeEstimateOptions>().RunSchedulerInProcess);
            factory.Services.GetRequiredService<IDurationRecorder>().Record(Durations.Of("AFS", 42, DateTimeOffset.UtcNow));
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            Assert.False(File.Exists(Path.Combine(dataset, TimeEstimateOptions.DocumentName)));
            Assert.Contains(factory.Services.GetServices<IHostedService>(), s => s is DurationLog);
        }
        finally
        {
            Directory.Delete(dataset, recursive: true);
            Directory.Delete(storage, recursive: true);
        }
    }
}
