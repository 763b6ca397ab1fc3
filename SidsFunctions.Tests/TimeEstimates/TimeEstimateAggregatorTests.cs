using System.Text;
using System.Text.Json.Nodes;
using SidsFunctions.Storage;
using SidsFunctions.Tests.Storage;
using SidsFunctions.TimeEstimates;

namespace SidsFunctions.Tests.TimeEstimates;

/// <summary>
/// The timer's document from known durations, against Azurite. Expected figures worked out by hand:
/// AFS 10, 20, 30, 40, 100 s → mean 40, median 30, p90 at rank 0.9·4 = 3.6 → 40 + 0.6·(100 − 40) = 76;
/// MANUAL 2, 4, 3 s → mean 3, median 3, p90 at rank 1.8 → 3 + 0.8·(4 − 3) = 3.8 (numpy.percentile's
/// default linear method gives the same).
/// </summary>
public sealed class TimeEstimateAggregatorTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The Python backend's file (shared/bench/time_consumption).</summary>
    public const string PythonDocument = "{\"value\":[{\"scheme_e\":\"AFS\",\"avg_time_parsed\":477.5},{\"scheme_e\":\"MANUAL\",\"avg_time_parsed\":3.6666666666666665}]}";

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed record Setup(IBlobStore Store, TimeEstimateOptions Options, DurationLog Log, TimeEstimateService Estimates, TimeEstimateAggregator Aggregator,
        ListLogger<TimeEstimateAggregator> Logger);

    private Setup Create(IBlobStore? store = null, TimeEstimateOptions? options = null)
    {
        store ??= fixture.Azurite.Store();
        options ??= new TimeEstimateOptions
        {
            DatasetsContainer = Names.Container("datasets"),
            DurationsContainer = Names.Container("telemetry"),
            RefreshInterval = TimeSpan.FromHours(1),
            FlushTimeout = TimeSpan.FromSeconds(5), // 300 ms was too short for Azurite writes during a full test run
        };
        var log = new DurationLog(store, options, new ListLogger<DurationLog>());
        var estimates = new TimeEstimateService(store, options, new ListLogger<TimeEstimateService>());
        var logger = new ListLogger<TimeEstimateAggregator>();
        return new Setup(store, options, log, estimates, new TimeEstimateAggregator(store, log, estimates, options, logger, new FixedClock(Now)), logger);
    }

    private static string Line(string scheme, double seconds, string time, string status = "ok", string? id = null) =>
        $"{{\"id\":\"{id ?? Guid.NewGuid().ToString("N")}\",\"time\":\"{time}\",\"scheme\":\"{scheme}\",\"model\":\"rfr\",\"estimators\":10,\"predictors\":5,\"interpolator\":\"KNNImputer\",\"seconds\":{seconds},\"status\":\"{status}\"}}\n";

    private static async Task WriteKnownDurations(Setup setup)
    {
        var (store, container) = (setup.Store, setup.Options.DurationsContainer);
        async Task Append(string blob, params string[] lines) => await store.AppendAsync(container, blob, Encoding.UTF8.GetBytes(string.Concat(lines)));
        await Append("durations/2026-11-15.jsonl", Line("AFS", 9999, "2026-11-15T10:00:00Z")); // before the window's days
        await Append("durations/2026-11-18.jsonl",
            Line("AFS", 1000, "2026-11-18T11:00:00Z"), // 3 days before now is 2026-11-18T12:00: outside
            Line("AFS", 10, "2026-11-18T13:00:00Z"));
        await Append("durations/2026-11-20.jsonl",
            Line("AFS", 20, "2026-11-20T01:00:00Z"),
            Line("afs", 30, "2026-11-20T02:00:00Z"),
            Line("AFS", 5, "2026-11-20T03:00:00Z", status: "error"), // failed predicts make no estimate
            Line("MANUAL", 2, "2026-11-20T04:00:00Z"),
            Line("MANUAL", 4, "2026-11-20T05:00:00Z", id: "twice"),
            "{not a record\n",
            "\n");
        await Append("durations/2026-11-20.jsonl", Line("MANUAL", 4, "2026-11-20T05:00:00Z", id: "twice")); // a retried append
        await Append("durations/2026-11-20-1.jsonl", Line("AFS", 40, "2026-11-20T23:00:00Z")); // the day's second part
        await Append("durations/2026-11-21.jsonl", Line("AFS", 100, "2026-11-21T11:00:00Z"), Line("MANUAL", 3, "2026-11-21T11:30:00Z"));
        await Append("durations/notes.txt", "not a day log\n");
    }

    private static void AssertScheme(JsonNode line, string scheme, double mean, int count, double median, double p90)
    {
        Assert.Equal(scheme, line["scheme_e"]!.GetValue<string>());
        Assert.Equal(mean, line["avg_time_parsed"]!.GetValue<double>(), 9);
        Assert.Equal(count, line["count"]!.GetValue<int>());
        Assert.Equal(median, line["median"]!.GetValue<double>(), 9);
        Assert.Equal(p90, line["p90"]!.GetValue<double>(), 9);
    }

    private static async Task<JsonNode> Document(Setup setup) =>
        JsonNode.Parse((await setup.Store.GetAsync(setup.Options.DatasetsContainer, TimeEstimateOptions.DocumentName)).Content!)!;

    [Fact]
    public async Task TheDocumentHasPerSchemeMeanCountMedianAndP90OfTheWindowsSuccessfulPredicts()
    {
        var setup = Create();
        await WriteKnownDurations(setup);
        // A document the Python backend left: AFS is replaced, PCA (no predict in the window) is kept.
        await setup.Store.PutAsync(setup.Options.DatasetsContainer, TimeEstimateOptions.DocumentName,
            Encoding.UTF8.GetBytes("{\"value\":[{\"scheme_e\":\"AFS\",\"avg_time_parsed\":477.5},{\"scheme_e\":\"PCA\",\"avg_time_parsed\":60}]}"));

        var result = await setup.Aggregator.RunAsync(CancellationToken.None);

        Assert.True(result.Written);
        Assert.Equal(8, result.Durations);
        var value = (await Document(setup))["value"]!.AsArray();
        Assert.Equal(3, value.Count);
        AssertScheme(value[0]!, "AFS", 40, 5, 30, 76);
        AssertScheme(value[1]!, "MANUAL", 3, 3, 3, 3.8);
        Assert.Equal("{\"scheme_e\":\"PCA\",\"avg_time_parsed\":60}", value[2]!.ToJsonString());
        // Every AFS predict had the same settings: their row is the scheme's mean, to the last bit.
        var afsSettings = value[0]!["settings"]!.AsArray().Single()!;
        Assert.Equal(value[0]!["avg_time_parsed"]!.GetValue<double>(), afsSettings["avg_time_parsed"]!.GetValue<double>());
        Assert.Equal(("KNNImputer", "rfr", 10, 5, 5), (afsSettings["interpolator"]!.GetValue<string>(), afsSettings["model"]!.GetValue<string>(),
            afsSettings["estimators"]!.GetValue<int>(), afsSettings["predictors"]!.GetValue<int>(), afsSettings["count"]!.GetValue<int>()));
        Assert.Contains(result.Log, l => l.StartsWith("wrote ", StringComparison.Ordinal));
        Assert.True(setup.Logger.Contains("Skipped 1 unreadable line"));

        // The instance that wrote it answers with the new figures at once (its refresh interval is an hour).
        Assert.Equal(40, await setup.Estimates.EstimateSecondsAsync("AFS"), 9);
        Assert.Equal(3, await setup.Estimates.EstimateSecondsAsync("MANUAL"), 9);
        Assert.Equal(60, await setup.Estimates.EstimateSecondsAsync("PCA"));
    }

    [Fact]
    public async Task EachCombinationOfSettingsGetsItsMeanAndOlderCombinationsAreKept()
    {
        var setup = Create();
        // A record without an approach is year by year (written before approaches were recorded).
        static string Record(string model, int trees, double seconds, string time = "2026-11-21T10:00:00Z", string approach = "") =>
            $"{{\"id\":\"{Guid.NewGuid():N}\",\"time\":\"{time}\",\"scheme\":\"AFS\",\"model\":\"{model}\",\"estimators\":{trees},\"predictors\":10,\"interpolator\":\"KNNImputer\",{approach}\"seconds\":{seconds},\"status\":\"ok\"}}\n";
        await setup.Store.AppendAsync(setup.Options.DurationsContainer, "durations/2026-11-21.jsonl",
            Encoding.UTF8.GetBytes(Record("rfr", 10, 1) + Record("rfr", 10, 3, approach: "\"approach\":\"year_by_year\",") + Record("rfr", 100, 10)
                + Record("all", 1000, 90) + Record("rfr", 10, 0.5, approach: "\"approach\":\"temporal\",")
                + Record("rfr", 100, 30, approach: "\"approach\":\"year_by_year\",\"interval\":\"bootstrap\",")));
        // The previous document had a 500-tree row (older than the window), a 10-tree one the window replaces, and a 100-tree
        // quantile one the window's 100-tree rows (interval unknown, bootstrap) do not replace.
        await setup.Store.PutAsync(setup.Options.DatasetsContainer, TimeEstimateOptions.DocumentName, Encoding.UTF8.GetBytes(
            "{\"value\":[{\"scheme_e\":\"AFS\",\"avg_time_parsed\":50,\"settings\":["
            + "{\"interpolator\":\"KNNImputer\",\"model\":\"rfr\",\"estimators\":500,\"predictors\":10,\"avg_time_parsed\":45,\"count\":4},"
            + "{\"interpolator\":\"KNNImputer\",\"model\":\"rfr\",\"estimators\":10,\"predictors\":10,\"avg_time_parsed\":99,\"count\":1},"
            + "{\"interpolator\":\"KNNImputer\",\"model\":\"rfr\",\"estimators\":100,\"predictors\":10,\"interval\":\"quantile\",\"avg_time_parsed\":7,\"count\":3}]}]}"));

        await setup.Aggregator.RunAsync(CancellationToken.None);

        var afs = (await Document(setup))["value"]!.AsArray().Single()!;
        Assert.Equal((1 + 3 + 10 + 90 + 0.5 + 30) / 6.0, afs["avg_time_parsed"]!.GetValue<double>(), 9);
        Assert.Equal(["all 1000 year_by_year : 90 (1)", "rfr 10 temporal : 0.5 (1)", "rfr 10 year_by_year : 2 (2)", "rfr 100 year_by_year : 10 (1)",
            "rfr 100 year_by_year bootstrap: 30 (1)", "rfr 100 year_by_year quantile: 7 (3)", "rfr 500 year_by_year : 45 (4)"], afs["settings"]!.AsArray().Select(r =>
            $"{r!["model"]} {r["estimators"]} {r["approach"]} {r["interval"]}: {r["avg_time_parsed"]} ({r["count"]})"));
        Assert.Equal(30, await setup.Estimates.EstimateSecondsAsync(new PredictSettings("AFS", "KNNImputer", "rfr", 100, 10, Interval: "bootstrap")));
        Assert.Equal(2, await setup.Estimates.EstimateSecondsAsync(new PredictSettings("AFS", "KNNImputer", "rfr", 10, 10)));
        Assert.Equal(0.5, await setup.Estimates.EstimateSecondsAsync(new PredictSettings("AFS", "KNNImputer", "rfr", 10, 10, "temporal")));
        Assert.Equal(90, await setup.Estimates.EstimateSecondsAsync(new PredictSettings("AFS", "KNNImputer", "all", 1000, 10)));
        Assert.Equal((1 + 3 + 10 + 90 + 0.5 + 30) / 6.0, await setup.Estimates.EstimateSecondsAsync("AFS"), 9);
    }

    [Fact]
    public async Task WithoutNewDurationsTheDocumentIsLeftAsItIs()
    {
        var setup = Create();
        var put = await setup.Store.PutAsync(setup.Options.DatasetsContainer, TimeEstimateOptions.DocumentName, Encoding.UTF8.GetBytes(PythonDocument));

        var result = await setup.Aggregator.RunAsync(CancellationToken.None);

        Assert.False(result.Written);
        var after = await setup.Store.GetAsync(setup.Options.DatasetsContainer, TimeEstimateOptions.DocumentName);
        Assert.Equal(put.ETag, after.ETag);
        Assert.Equal(PythonDocument, Encoding.UTF8.GetString(after.Content!));
    }

    [Fact]
    public async Task ASecondRunWithTheSameDurationsDoesNotRewriteTheDocument()
    {
        var setup = Create();
        await WriteKnownDurations(setup);
        Assert.True((await setup.Aggregator.RunAsync(CancellationToken.None)).Written);
        var first = await setup.Store.GetAsync(setup.Options.DatasetsContainer, TimeEstimateOptions.DocumentName);

        Assert.False((await setup.Aggregator.RunAsync(CancellationToken.None)).Written);
        Assert.Equal(first.ETag, (await setup.Store.GetAsync(setup.Options.DatasetsContainer, TimeEstimateOptions.DocumentName)).ETag);
    }

    [Fact]
    public async Task ADocumentChangedByAnotherInstanceDuringTheRunIsReadAgainNotOverwrittenUnseen()
    {
        var inner = fixture.Azurite.Store();
        var sneaky = new InterleavingStore(inner);
        var setup = Create(sneaky);
        sneaky.DatasetsContainer = setup.Options.DatasetsContainer;
        await WriteKnownDurations(setup);

        var result = await setup.Aggregator.RunAsync(CancellationToken.None);

        Assert.True(result.Written);
        Assert.Contains(result.Log, l => l.Contains("changed while it was computed", StringComparison.Ordinal));
        var value = (await Document(setup))["value"]!.AsArray();
        // PCA comes from the other instance's document, read again after the conflict.
        Assert.Equal(["AFS", "MANUAL", "PCA"], value.Select(v => v!["scheme_e"]!.GetValue<string>()));
        Assert.Equal(7, value[2]!["avg_time_parsed"]!.GetValue<double>());
    }

    [Fact]
    public async Task PendingRecordsOfThisInstanceAreWrittenBeforeAggregating()
    {
        var setup = Create();
        await setup.Log.StartAsync(CancellationToken.None);
        setup.Log.Record(Durations.Of("PCA", 6, Now.AddMinutes(-2)));
        setup.Log.Record(Durations.Of("PCA", 8, Now.AddMinutes(-1)));

        var result = await setup.Aggregator.RunAsync(CancellationToken.None);

        Assert.Equal(2, result.Durations);
        AssertScheme((await Document(setup))["value"]![0]!, "PCA", 7, 2, 7, 7.8);
        await setup.Log.StopAsync(CancellationToken.None);
        setup.Log.Dispose();
    }

    [Fact]
    public async Task WhenStorageIsDownTheRunFailsWithABlobStorageException()
    {
        var down = new SwitchableStore(fixture.Azurite.Store()) { Down = true };
        var setup = Create(down);
        await setup.Log.StartAsync(CancellationToken.None);
        setup.Log.Record(Durations.Of("PCA", 6, Now));

        await Assert.ThrowsAsync<BlobStorageException>(() => setup.Aggregator.RunAsync(CancellationToken.None));
        await setup.Log.StopAsync(new CancellationTokenSource(TimeSpan.FromMilliseconds(100)).Token);
        setup.Log.Dispose();
    }

    /// <summary>Another instance writes the document between this run's read and its write (once).</summary>
    private sealed class InterleavingStore(IBlobStore inner) : IBlobStore
    {
        private int interleaved;

        public string DatasetsContainer { get; set; } = "";

        public string Description => inner.Description;

        public Task<BlobDownload> GetAsync(string container, string blob, BlobConditions conditions = default, CancellationToken cancellationToken = default) =>
            inner.GetAsync(container, blob, conditions, cancellationToken);

        public async Task<BlobUpload> PutAsync(string container, string blob, ReadOnlyMemory<byte> content, BlobConditions conditions = default,
            string? contentType = null, CancellationToken cancellationToken = default)
        {
            if (container == DatasetsContainer && Interlocked.Exchange(ref interleaved, 1) == 0)
            {
                await inner.PutAsync(container, blob, Encoding.UTF8.GetBytes("{\"value\":[{\"scheme_e\":\"PCA\",\"avg_time_parsed\":7}]}"),
                    cancellationToken: cancellationToken);
            }
            return await inner.PutAsync(container, blob, content, conditions, contentType, cancellationToken);
        }

        public Task AppendAsync(string container, string blob, ReadOnlyMemory<byte> block, CancellationToken cancellationToken = default) =>
            inner.AppendAsync(container, blob, block, cancellationToken);

        public Task<IReadOnlyList<BlobEntry>> ListAsync(string container, string prefix, CancellationToken cancellationToken = default) =>
            inner.ListAsync(container, prefix, cancellationToken);
    }
}
