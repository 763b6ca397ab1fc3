using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SidsFunctions.Storage;
using SidsFunctions.Tests.Infrastructure;
using SidsFunctions.Tests.Storage;
using SidsFunctions.Tests.TimeEstimates;
using SidsFunctions.TimeEstimates;

namespace SidsFunctions.Tests.AggregateTimeEstimates;

/// <summary>
/// The AggregateTimeEstimates timer under the Functions host: run on demand as the host runs a non-HTTP
/// function (POST /admin/functions/AggregateTimeEstimates, 202) against Azurite and with no storage
/// configured (folders), fired on its NCRONTAB schedule (%TIME_ESTIMATE_SCHEDULE%), and failing cleanly
/// when storage cannot be reached.
/// </summary>
public sealed class AggregateTimeEstimatesFunctionTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    private static object Predict(string scheme, int estimators) => scheme == "MANUAL"
        ? new
        {
            manual_predictors = new[] { "wdi-AG.LND.AGRI.K2" }, target_year = "2001", target = "key-wdi-EG.ELC.ACCS.ZS", interpolator = "KNNImputer",
            scheme, estimators, model = "rfr", interval = "quantile", dataset = "key",
        }
        : new
        {
            number_predictor = 10, target_year = "2001", target = "key-wdi-EG.ELC.ACCS.ZS", interpolator = "KNNImputer",
            scheme, estimators, model = "rfr", interval = "quantile", dataset = "key",
        };

    private static async Task<double> EstimateAsync(HttpClient client, string scheme)
    {
        var response = await client.PostJsonAsync("/twolvlImp/estimate", Predict(scheme, 10));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadJsonAsync())!.GetValue<double>();
    }

    /// <summary>Runs the timer as the Functions host runs a non-HTTP function on demand, and waits for the invocation to end.</summary>
    public static async Task<string> RunTimerAsync(SidsAppFactory factory, HttpClient client)
    {
        static string[] Runs(SidsAppFactory app) =>
            app.Logs.Where(l => l.Contains("Executed 'AggregateTimeEstimates'", StringComparison.Ordinal)).ToArray();
        var before = Runs(factory).Length;
        var response = await client.PostAsync("/admin/functions/AggregateTimeEstimates", new StringContent("{\"input\":\"\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Durations.Eventually(() => Task.FromResult(Runs(factory).Length > before), "the timer's run", seconds: 60);
        return Runs(factory)[before];
    }

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

    [Fact]
    public async Task TheTimerRunByTheHostPublishesTheAverageThatTheEstimateThenAnswers()
    {
        var datasets = Names.Container("datasets");
        var telemetry = Names.Container("telemetry");
        await using var factory = new ConfiguredAppFactory(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = fixture.Azurite.ConnectionString,
            ["DATASETS_CONTAINER"] = datasets,
            ["DURATIONS_CONTAINER"] = telemetry,
            ["TIME_ESTIMATE_REFRESH_SECONDS"] = "0",
        });
        using var client = factory.CreateClient();
        foreach (var estimators in new[] { 3, 4, 5 })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/twolvlImp/predict", Predict("MANUAL", estimators))).StatusCode);
        }

        Assert.Contains("(Succeeded", await RunTimerAsync(factory, client), StringComparison.Ordinal);

        // The mean of the durations the predicts recorded (the run writes this instance's pending ones first).
        var options = TimeEstimateOptions.FromConfiguration(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        var records = await Durations.ReadAsync(fixture.Azurite.Store(), telemetry, options.DurationsBlob(DateOnly.FromDateTime(DateTime.UtcNow)));
        var seconds = records.DistinctBy(r => r.Id).Select(r => r.Duration.Seconds).ToArray();
        Assert.Equal(3, seconds.Length);
        var document = JsonNode.Parse((await fixture.Azurite.Store().GetAsync(datasets, TimeEstimateOptions.DocumentName)).Content!)!;
        var manual = document["value"]!.AsArray().Single()!;
        Assert.Equal("MANUAL", manual["scheme_e"]!.GetValue<string>());
        Assert.Equal(3, manual["count"]!.GetValue<int>());
        Assert.Equal(seconds.Average(), manual["avg_time_parsed"]!.GetValue<double>(), 9);
        Assert.Equal(manual["avg_time_parsed"]!.GetValue<double>(), await EstimateAsync(client, "MANUAL"), 12);
    }

    [Fact]
    public async Task StorageThatCannotBeReachedFailsTheRunAndTheAppServesOn()
    {
        await using var factory = new ConfiguredAppFactory(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = $"AccountName=devstoreaccount1;AccountKey={Azurite.DevelopmentKey};BlobEndpoint=http://127.0.0.1:9/devstoreaccount1",
        });
        using var client = factory.CreateClient();

        var run = await RunTimerAsync(factory, client);
        Assert.DoesNotContain("(Succeeded", run, StringComparison.Ordinal);
        Assert.Contains("Failure", run, StringComparison.Ordinal);

        // The worker's log line comes over RpcLog, not necessarily before the host's line for the run.
        await factory.WaitForLogAsync(l => l.Contains("AggregateTimeEstimates failed: Cannot list", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
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
                ["TIME_ESTIMATE_REFRESH_SECONDS"] = "0",
            });
            using var client = factory.CreateClient();
            // The Python backend's file beside the CSVs.
            Assert.Equal(477.5, await EstimateAsync(client, "AFS"));
            Assert.Equal(120, await EstimateAsync(client, "PCA"));

            Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/twolvlImp/predict", Predict("PCA", 5))).StatusCode);
            Assert.Contains("(Succeeded", await RunTimerAsync(factory, client), StringComparison.Ordinal);

            Assert.Single(Directory.GetFiles(Path.Combine(storage, "telemetry", "durations"), "*.jsonl"));
            var written = TimeConsumption.Parse(await File.ReadAllBytesAsync(Path.Combine(dataset, TimeEstimateOptions.DocumentName)));
            Assert.Equal(["AFS", "MANUAL", "PCA"], written.Schemes.Select(s => s.Scheme));
            Assert.Equal(written.Schemes.Single(s => s.Scheme == "PCA").AverageSeconds, await EstimateAsync(client, "PCA"), 12);
            Assert.Equal(477.5, await EstimateAsync(client, "AFS"));
            Assert.Contains(TimeEstimateOptions.DocumentName, (await (await client.GetAsync("/datasets")).ReadJsonAsync())!.AsArray().Select(f => f!.GetValue<string>()));
        }
        finally
        {
            Directory.Delete(dataset, recursive: true);
            Directory.Delete(storage, recursive: true);
        }
    }

    [Fact]
    public async Task TheEstimateAnswersForTheRequestsApproachAndInterval()
    {
        var dataset = SampleDatasetCopy(withPythonEstimates: false);
        static string Row(string approach, string interval, double seconds) =>
            $"{{\"interpolator\":\"KNNImputer\",\"model\":\"rfr\",\"estimators\":10,\"predictors\":10,\"approach\":\"{approach}\",\"interval\":\"{interval}\",\"avg_time_parsed\":{seconds},\"count\":1}}";
        File.WriteAllText(Path.Combine(dataset, TimeEstimateOptions.DocumentName), "{\"value\":[{\"scheme_e\":\"AFS\",\"avg_time_parsed\":9,\"settings\":["
            + string.Join(',', Row("year_by_year", "quantile", 1), Row("year_by_year", "bootstrap", 2), Row("temporal", "quantile", 3), Row("temporal", "bootstrap", 4))
            + "]}]}");
        try
        {
            await using var factory = new ConfiguredAppFactory(new Dictionary<string, string?> { ["DATASET_PATH"] = dataset });
            using var client = factory.CreateClient();
            async Task<double> Estimate(string? approach, string interval)
            {
                var body = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Predict("AFS", 10)))!.AsObject();
                body["interval"] = interval;
                if (approach is not null)
                {
                    body["approach"] = approach;
                }
                var response = await client.PostJsonAsync("/twolvlImp/estimate", body);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return (await response.ReadJsonAsync())!.GetValue<double>();
            }
            var asked = new (string? Approach, string Interval)[]
            {
                (null, "quantile"), (null, "bootstrap"), ("year_by_year", "quantile"), ("year_by_year", "bootstrap"), ("temporal", "quantile"), ("temporal", "bootstrap"),
            };
            var answers = new List<double>();
            foreach (var (approach, interval) in asked)
            {
                answers.Add(await Estimate(approach, interval));
            }
            Assert.Equal([1.0, 2, 1, 2, 3, 4], answers);
        }
        finally
        {
            Directory.Delete(dataset, recursive: true);
        }
    }

    [Fact]
    public async Task TheHostFiresTheTimerOnItsSchedule()
    {
        var dataset = SampleDatasetCopy(withPythonEstimates: false);
        try
        {
            await using var factory = new ConfiguredAppFactory(new Dictionary<string, string?>
            {
                ["DATASET_PATH"] = dataset,
                ["TIME_ESTIMATE_SCHEDULE"] = "*/2 * * * * *", // every 2 seconds
            });
            using var client = factory.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/twolvlImp/predict", Predict("MANUAL", 6))).StatusCode);
            await Durations.Eventually(() => Task.FromResult(File.Exists(Path.Combine(dataset, TimeEstimateOptions.DocumentName))
                && TimeConsumption.Parse(File.ReadAllBytes(Path.Combine(dataset, TimeEstimateOptions.DocumentName))).Schemes.Any(s => s.Scheme == "MANUAL")),
                "a scheduled run", seconds: 60);
            // The host's console is flushed in batches: its line may follow the document by a moment.
            await factory.WaitForLogAsync(l => l.Contains("Executing 'AggregateTimeEstimates'", StringComparison.Ordinal)
                                               && !l.Contains("Reason='admin'", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dataset, recursive: true);
        }
    }

    [Fact]
    public async Task TheEstimateAnswersFromTheRecordedDurationsOfTheRequestsOwnSettings()
    {
        var datasets = Names.Container("datasets");
        await using var factory = new ConfiguredAppFactory(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = fixture.Azurite.ConnectionString,
            ["DATASETS_CONTAINER"] = datasets,
            ["DURATIONS_CONTAINER"] = Names.Container("telemetry"),
            ["TIME_ESTIMATE_REFRESH_SECONDS"] = "0",
        });
        using var client = factory.CreateClient();
        static object Body(int estimators, string model) => new
        {
            manual_predictors = new[] { "wdi-AG.LND.AGRI.K2" }, target_year = "2001", target = "key-wdi-EG.ELC.ACCS.ZS", interpolator = "KNNImputer",
            scheme = "MANUAL", estimators, model, interval = "quantile", dataset = "key",
        };
        async Task<JsonNode> Aggregate()
        {
            Assert.Contains("(Succeeded", await RunTimerAsync(factory, client), StringComparison.Ordinal);
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
    public void AnInvalidScheduleStopsStartUpNamingTheSetting()
    {
        // The worker reads the schedule at start-up (the host reads it too, for the timer): it exits, and the host with it.
        var error = Assert.ThrowsAny<InvalidOperationException>(() =>
            new ConfiguredAppFactory(new Dictionary<string, string?> { ["TIME_ESTIMATE_SCHEDULE"] = "every hour" }).Dispose());
        Assert.Contains("exited", error.Message, StringComparison.Ordinal);
        Assert.Contains("TIME_ESTIMATE_SCHEDULE is 'every hour'", error.Message, StringComparison.Ordinal);
    }
}
