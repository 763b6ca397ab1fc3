using SidsFunctions.Storage;
using SidsFunctions.Tests.Storage;
using SidsFunctions.TimeEstimates;

namespace SidsFunctions.Tests.TimeEstimates;

/// <summary>
/// The duration log against Azurite: JSON lines in the blob of their UTC day, several instances writing
/// one blob at once, storage going down and coming back, a full buffer, shutdown.
/// </summary>
public sealed class DurationLogTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Day = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static TimeEstimateOptions Options(string container, int capacity = 10_000) => new()
    {
        DurationsContainer = container,
        BufferCapacity = capacity,
        MinRetryDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = TimeSpan.FromMilliseconds(200),
    };

    private static async Task<DurationLog> StartedLog(IBlobStore store, TimeEstimateOptions options, ListLogger<DurationLog>? logger = null)
    {
        var log = new DurationLog(store, options, logger ?? new ListLogger<DurationLog>());
        await log.StartAsync(CancellationToken.None);
        return log;
    }

    [Fact]
    public async Task RecordsBecomeJsonLinesInTheBlobOfTheirUtcDay()
    {
        var store = fixture.Azurite.Store();
        var options = Options(Names.Container("days"));
        using var log = await StartedLog(store, options);
        var late = new PredictDuration(new DateTimeOffset(2026, 11, 20, 23, 59, 59, TimeSpan.Zero), "MANUAL", "rfr", 10, 2, "KNNImputer", 0.5,
            PredictDuration.Succeeded, ["wdi-A", "wdi-\"B\""], "temporal", "bootstrap");
        // 01:00:01 at UTC+2 is still the 20th in UTC.
        var early = Durations.Of("AFS", 12.25, new DateTimeOffset(2026, 11, 21, 1, 0, 1, TimeSpan.FromHours(2)));
        var next = Durations.Of("PCA", 3, new DateTimeOffset(2026, 11, 21, 0, 0, 1, TimeSpan.Zero), PredictDuration.Failed);
        log.Record(late);
        log.Record(early);
        log.Record(next);
        Assert.True(await log.FlushAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token));

        Assert.Equal(["durations/2026-11-20.jsonl", "durations/2026-11-21.jsonl"],
            (await store.ListAsync(options.DurationsContainer, "")).Select(b => b.Name));
        var twentieth = await Durations.ReadAsync(store, options.DurationsContainer, "durations/2026-11-20.jsonl");
        Assert.Equal(2, twentieth.Count);
        Assert.Equal(late with { PredictorNames = null }, twentieth[0].Duration);
        Assert.Equal(early with { Time = early.Time.ToUniversalTime() }, twentieth[1].Duration);
        var twentyFirst = await Durations.ReadAsync(store, options.DurationsContainer, "durations/2026-11-21.jsonl");
        Assert.Equal([next], twentyFirst.Select(r => r.Duration));
        Assert.All(twentieth.Concat(twentyFirst), r => Assert.Equal(32, r.Id!.Length));
        Assert.Equal(3, log.Written);
        Assert.Equal(0, log.Pending);
    }

    [Fact]
    public void ALineWrittenBeforeApproachesWereRecordedReadsAsYearByYear()
    {
        var line = "{\"time\":\"2026-11-20T10:00:00.000Z\",\"scheme\":\"AFS\",\"model\":\"rfr\",\"estimators\":100,\"predictors\":10,"
            + "\"interpolator\":\"KNNImputer\",\"seconds\":1.5,\"status\":\"ok\"}";
        var old = PredictDuration.ParseJsonLine(System.Text.Encoding.UTF8.GetBytes(line))!.Value.Duration;
        Assert.Equal(("year_by_year", null), (old.Approach, old.Interval));
        var temporal = Durations.Of("AFS", 1.5, DateTimeOffset.UnixEpoch) with { Approach = "temporal" };
        Assert.Equal(temporal, PredictDuration.ParseJsonLine(temporal.ToJsonLine("x"))!.Value.Duration);
    }

    [Fact]
    public async Task RecordsOfOneWriteWindowShareOneAppend()
    {
        var store = new SwitchableStore(fixture.Azurite.Store());
        var options = Options(Names.Container("window")) with { WriteWindow = TimeSpan.FromMilliseconds(400) };
        using var log = await StartedLog(store, options);
        for (var i = 0; i < 3; i++)
        {
            log.Record(Durations.Of("AFS", i, Day));
            await Task.Delay(20);
        }
        await Durations.Eventually(() => Task.FromResult(log.Written == 3), "three records written", seconds: 10);
        Assert.Equal(1, store.Appends);
        Assert.Equal(3, (await Durations.ReadAsync(store, options.DurationsContainer, options.DurationsBlob(DateOnly.FromDateTime(Day.UtcDateTime)))).Count);
    }

    [Fact]
    public async Task TheStartupWarmupAsksStorageAndWritesNothing()
    {
        var store = new SwitchableStore(fixture.Azurite.Store());
        var options = Options(Names.Container("warmup"));
        using var log = await StartedLog(store, options);
        Assert.Null(await log.RunAsync(CancellationToken.None));
        Assert.Equal((1, 0), (store.Lists, store.Appends));
        Assert.Empty(await store.ListAsync(options.DurationsContainer, ""));

        // Storage down: a reason, not a failure.
        store.Down = true;
        Assert.Contains("did not answer", await log.RunAsync(CancellationToken.None), StringComparison.Ordinal);
        Assert.Equal(0, store.Appends);
    }

    [Fact]
    public async Task EightInstancesWritingTheSameDayAtOnceLoseNoRecord()
    {
        const int instances = 8;
        const int recordsEach = 150;
        var options = Options(Names.Container("eight"));
        var logs = new List<DurationLog>();
        for (var i = 0; i < instances; i++)
        {
            logs.Add(await StartedLog(fixture.Azurite.Store(), options));
        }
        // Each instance records from several request threads at once.
        await Task.WhenAll(logs.SelectMany((log, i) => Enumerable.Range(0, 3).Select(thread => Task.Run(() =>
        {
            for (var r = thread; r < recordsEach; r += 3)
            {
                log.Record(Durations.Of("AFS", i * 1000 + r, Day));
            }
        }))));
        foreach (var log in logs)
        {
            Assert.True(await log.FlushAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token));
        }

        var records = await Durations.ReadAsync(fixture.Azurite.Store(), options.DurationsContainer, options.DurationsBlob(DateOnly.FromDateTime(Day.UtcDateTime)));
        Assert.Equal(instances * recordsEach, records.Count);
        Assert.Equal(instances * recordsEach, records.Select(r => r.Id).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, instances).SelectMany(i => Enumerable.Range(0, recordsEach).Select(r => (double)(i * 1000 + r))).Order(),
            records.Select(r => r.Duration.Seconds).Order());
        foreach (var log in logs)
        {
            await log.StopAsync(CancellationToken.None);
            log.Dispose();
        }
    }

    [Fact]
    public async Task WhenStorageIsDownRecordingNeitherBlocksNorThrowsAndTheRecordsAreWrittenWhenItIsBack()
    {
        await using var azurite = await Azurite.StartAsync();
        var store = azurite.Store(maxRetries: 0);
        var options = Options(Names.Container("outage"));
        var logger = new ListLogger<DurationLog>();
        using var log = await StartedLog(store, options, logger);

        await azurite.StopAsync();
        var recording = Task.Run(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                log.Record(Durations.Of("MANUAL", i, Day));
            }
        });
        // A guard against a hang, not a timing: 100 calls that each only enqueue.
        Assert.Same(recording, await Task.WhenAny(recording, Task.Delay(TimeSpan.FromSeconds(30))));
        await recording;
        Assert.False(await log.FlushAsync(new CancellationTokenSource(TimeSpan.FromMilliseconds(300)).Token));
        Assert.Equal(100, log.Pending);
        await Durations.Eventually(() => Task.FromResult(logger.Contains("Cannot write the duration log")), "a log line about the failure");

        await azurite.StartAgainAsync();
        Assert.True(await log.FlushAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token));
        var records = await Durations.ReadAsync(store, options.DurationsContainer, options.DurationsBlob(DateOnly.FromDateTime(Day.UtcDateTime)));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (double)i), records.Select(r => r.Duration.Seconds).Order());
        Assert.Equal(0, log.Dropped);
        await Durations.Eventually(() => Task.FromResult(logger.Contains("written again")), "a log line about the recovery");
    }

    [Fact]
    public async Task AFullBufferDropsTheOldestRecordsWithALogLine()
    {
        var switchable = new SwitchableStore(fixture.Azurite.Store()) { Down = true };
        // A long first retry delay: after its failed write the writer waits until the flush below wakes it.
        var options = Options(Names.Container("full"), capacity: 10) with { MinRetryDelay = TimeSpan.FromMinutes(5), MaxRetryDelay = TimeSpan.FromMinutes(5) };
        var logger = new ListLogger<DurationLog>();
        using var log = await StartedLog(switchable, options, logger);
        // The writer takes the first record into its batch and fails; what is recorded afterwards waits in the buffer.
        log.Record(Durations.Of("AFS", -1, Day));
        await Durations.Eventually(() => Task.FromResult(logger.Contains("Cannot write the duration log")), "a failed write");
        for (var i = 0; i < 25; i++)
        {
            log.Record(Durations.Of("AFS", i, Day));
        }
        Assert.Equal(15, log.Dropped);
        Assert.Equal(11, log.Pending);

        switchable.Down = false;
        Assert.True(await log.FlushAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token));
        await Durations.Eventually(() => Task.FromResult(logger.Contains("15 oldest record(s) dropped, 15 since start")), "a log line about the overflow");
        var records = await Durations.ReadAsync(switchable, options.DurationsContainer, options.DurationsBlob(DateOnly.FromDateTime(Day.UtcDateTime)));
        Assert.Equal(new[] { -1.0 }.Concat(Enumerable.Range(15, 10).Select(i => (double)i)), records.Select(r => r.Duration.Seconds).Order());
    }

    [Fact]
    public async Task ShutdownWritesWhatIsBufferedAndLaterRecordsAreDroppedQuietly()
    {
        var store = fixture.Azurite.Store();
        var options = Options(Names.Container("stop"));
        var log = await StartedLog(store, options);
        for (var i = 0; i < 50; i++)
        {
            log.Record(Durations.Of("PCA", i, Day));
        }
        await log.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        log.Record(Durations.Of("PCA", 99, Day));
        log.Dispose();

        var records = await Durations.ReadAsync(store, options.DurationsContainer, options.DurationsBlob(DateOnly.FromDateTime(Day.UtcDateTime)));
        Assert.Equal(50, records.Count);
        Assert.Equal(1, log.Dropped);
    }
}
