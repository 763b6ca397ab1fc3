using System.Net;
using SidsFunctions.Hosting;
using SidsFunctions.Storage;
using SidsFunctions.TwoLevelImputation;
using SidsModels.TwoLevelImputation;
using SidsFunctions.Tests.Infrastructure;
using SidsFunctions.Tests.TimeEstimates;
using SidsFunctions.TimeEstimates;

namespace SidsFunctions.Tests.TwoLevelImputation;

/// <summary>
/// What every predict leaves behind: the "Time Consumed" log line the Python backend's time-estimate query
/// parsed, and one duration record (a computation as "ok", an answer from the cache as "cached"); a client
/// that goes away stops the computation; and each request's log line states the status the client got.
/// The class has an app of its own (its tests run one after another): they read that app's logs and storage.
/// </summary>
public sealed class PredictRecordsTests(PredictRecordsTests.OwnApp app) : IClassFixture<PredictRecordsTests.OwnApp>
{
    public sealed class OwnApp() : SidsAppFactory(new Dictionary<string, string?>());

    private static object Body(int estimators, string approach = "year_by_year") => new
    {
        manual_predictors = new[] { "wdi-AG.LND.AGRI.K2" }, target_year = "2001", target = "key-wdi-EG.ELC.ACCS.ZS", interpolator = "KNNImputer",
        scheme = "MANUAL", estimators, model = "rfr", interval = "quantile", dataset = "key", approach,
    };

    [Fact]
    public async Task EachPredictLogsItsTimeConsumedLineAndRecordsOneDuration()
    {
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/twolvlImp/predict", Body(7))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/twolvlImp/predict", Body(7))).StatusCode);

        string[] Lines() => app.Messages("Time Consumed(s)=").Where(l => l.Contains(" estimators=7 ", StringComparison.Ordinal)).ToArray();
        await Durations.Eventually(() => Task.FromResult(Lines().Length == 2), "two Time Consumed lines");
        var lines = Lines();
        Assert.All(lines, l => Assert.Matches(
            @"^Time Consumed\(s\)=\d+\.\d{3} scheme=MANUAL model=rfr estimators=7 predictors=1 interpolator=KNNImputer interval=quantile approach=year_by_year ", l));
        Assert.EndsWith("status=ok", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("status=cached", lines[1], StringComparison.Ordinal);

        // The duration log is written in the background: the records arrive in the app's storage folder.
        var options = new TimeEstimateOptions();
        var store = new FolderBlobStore(app.StorageFolder);
        IReadOnlyList<(string? Id, PredictDuration Duration)> records = [];
        await Durations.Eventually(async () => (records = await Durations.ReadAsync(store, options.DurationsContainer,
            options.DurationsBlob(DateOnly.FromDateTime(DateTime.UtcNow)))).Count(r => r.Duration.Estimators == 7) == 2, "two duration records", seconds: 30);
        records = records.Where(r => r.Duration.Estimators == 7).ToArray();
        Assert.Equal([PredictDuration.Succeeded, PredictDuration.Cached], records.Select(r => r.Duration.Status));
        Assert.All(records, r => Assert.Equal(("MANUAL", 7, "year_by_year", "quantile"),
            (r.Duration.Scheme, r.Duration.Estimators, r.Duration.Approach, r.Duration.Interval)));
    }

    [Fact]
    public async Task ATemporalPredictIsRecordedUnderItsApproach()
    {
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().PostJsonAsync("/twolvlImp/predict", Body(8, "temporal"))).StatusCode);

        await app.WaitForLogAsync(l => l.Contains("Time Consumed(s)=", StringComparison.Ordinal) && l.Contains(" estimators=8 ", StringComparison.Ordinal));
        Assert.Contains(" approach=temporal ", app.Messages("Time Consumed(s)=").Single(l => l.Contains(" estimators=8 ", StringComparison.Ordinal)),
            StringComparison.Ordinal);
        var options = new TimeEstimateOptions();
        var store = new FolderBlobStore(app.StorageFolder);
        IReadOnlyList<(string? Id, PredictDuration Duration)> records = [];
        await Durations.Eventually(async () => (records = await Durations.ReadAsync(store, options.DurationsContainer,
            options.DurationsBlob(DateOnly.FromDateTime(DateTime.UtcNow)))).Any(r => r.Duration.Estimators == 8), "the temporal duration record", seconds: 30);
        Assert.Equal("temporal", records.Single(r => r.Duration.Estimators == 8).Duration.Approach);
    }

    [Fact]
    public async Task TheStartupWarmupRanThePredictAndLeftNoDurationOrTimeConsumedLine()
    {
        var warmup = TwoLevelWarmup.Request(new TwoLevelCatalog(new FolderDatasetSource(SidsAppFactory.SampleDatasetFolder).Load()));
        Assert.NotNull(warmup);
        await app.WaitForLogAsync(l => l.Contains("The two-level predict warmed up in ", StringComparison.Ordinal));

        // A predict of the test's own, and its record: the log is written in order, so the warm-up's would be there by now.
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().PostJsonAsync("/twolvlImp/predict", Body(9))).StatusCode);
        var options = new TimeEstimateOptions();
        var store = new FolderBlobStore(app.StorageFolder);
        IReadOnlyList<(string? Id, PredictDuration Duration)> records = [];
        await Durations.Eventually(async () => (records = await Durations.ReadAsync(store, options.DurationsContainer,
            options.DurationsBlob(DateOnly.FromDateTime(DateTime.UtcNow)))).Any(r => r.Duration.Estimators == 9), "the test's duration record", seconds: 30);
        Assert.DoesNotContain(records, r => r.Duration.PredictorNames?.SequenceEqual(warmup.ManualPredictors!) == true);
        Assert.DoesNotContain(app.Messages("Time Consumed(s)="), l => l.Contains($" target={warmup.Target} target_year={warmup.TargetYear} ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EachRequestIsLoggedWithTheStatusTheClientReceived()
    {
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostJsonAsync("/twolvlImp/predict", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.PutAsync("/twolvlImp/predict", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/twolvlImp/target_years")).StatusCode);

        await app.WaitForLogAsync(l => l.Contains("POST /twolvlImp/predict 422 ", StringComparison.Ordinal));
        await app.WaitForLogAsync(l => l.Contains("PUT /twolvlImp/predict 405 ", StringComparison.Ordinal));
        await app.WaitForLogAsync(l => l.Contains("GET /twolvlImp/target_years 200 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AClientThatGoesAwayStopsItsComputation()
    {
        var client = app.CreateClient();
        var heavy = new
        {
            // Among the slowest settings the API takes (6 s on the sample data, level one not cached by the warm-up, which
            // used another imputer and year), so the client below goes long before the answer could be ready: 999 KNN
            // trees with conformal intervals once did, and finished within the 1.5 s this test waited.
            number_predictor = 50, target_year = "2003", target = "key-wdi-EG.ELC.ACCS.ZS", interpolator = "IterativeImputer", scheme = "AFS",
            estimators = 999, model = "all", interval = "quantile", dataset = "key", approach = "temporal",
        };
        // Warm: the heavy request below is then well into its training when its client goes.
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/twolvlImp/predict", Body(3))).StatusCode);
        await app.WaitForLogAsync(l => l.Contains("Time Consumed", StringComparison.Ordinal) && l.Contains(" estimators=3 ", StringComparison.Ordinal));
        var trainings = app.Messages("Stages (ms)").Count;
        using var goes = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.PostAsync("/twolvlImp/predict",
            new StringContent(System.Text.Json.JsonSerializer.Serialize(heavy), System.Text.Encoding.UTF8, "application/json"), goes.Token));

        // The predict ends as refused, without a finished computation; one that ignored its client would
        // finish its training, log its stages and end as "ok".
        var line = await app.WaitForLogAsync(l => l.Contains("Time Consumed", StringComparison.Ordinal) && l.Contains("estimators=999", StringComparison.Ordinal),
            TimeSpan.FromSeconds(120));
        Assert.EndsWith("status=refused", line, StringComparison.Ordinal);
        Assert.Equal(trainings, app.Messages("Stages (ms)").Count); // no training finished since
        await app.WaitForLogAsync(l => l.Contains("POST /twolvlImp/predict 499 ", StringComparison.Ordinal));
    }
}
