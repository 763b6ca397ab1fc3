using System.Text;
using SidsFunctions.Storage;
using SidsFunctions.Tests.Storage;
using SidsFunctions.TimeEstimates;

namespace SidsFunctions.Tests.TimeEstimates;

/// <summary>The estimate answered from memory: the published document, 120 s without one, refreshed only when due and changed.</summary>
public sealed class TimeEstimateServiceTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    private (SwitchableStore Store, TimeEstimateOptions Options, TimeEstimateService Estimates, ListLogger<TimeEstimateService> Logger) Create(TimeSpan refresh)
    {
        var store = new SwitchableStore(fixture.Azurite.Store());
        var options = new TimeEstimateOptions { DatasetsContainer = Names.Container("datasets"), RefreshInterval = refresh };
        var logger = new ListLogger<TimeEstimateService>();
        return (store, options, new TimeEstimateService(store, options, logger), logger);
    }

    private static Task<BlobUpload> Publish(IBlobStore store, TimeEstimateOptions options, string json) =>
        store.PutAsync(options.DatasetsContainer, TimeEstimateOptions.DocumentName, Encoding.UTF8.GetBytes(json));

    [Fact]
    public async Task WithoutADocumentEverySchemeIsEstimatedAtTwoMinutes()
    {
        var (_, _, estimates, _) = Create(TimeSpan.FromHours(1));
        foreach (var scheme in new[] { "AFS", "PCA", "MANUAL" })
        {
            Assert.Equal(120, await estimates.EstimateSecondsAsync(scheme));
        }
    }

    [Fact]
    public async Task ThePublishedAverageIsTheEstimateAndAnAbsentSchemeIsTwoMinutes()
    {
        var (store, options, estimates, _) = Create(TimeSpan.FromHours(1));
        await Publish(store, options, TimeEstimateAggregatorTests.PythonDocument);

        Assert.Equal(477.5, await estimates.EstimateSecondsAsync("AFS"));
        Assert.Equal(3.6666666666666665, await estimates.EstimateSecondsAsync("MANUAL"));
        Assert.Equal(477.5, await estimates.EstimateSecondsAsync("afs"));
        Assert.Equal(120, await estimates.EstimateSecondsAsync("PCA"));
    }

    [Fact]
    public async Task RequestsWithinTheRefreshIntervalAreAnsweredFromMemoryWithoutReadingStorage()
    {
        var (store, options, estimates, _) = Create(TimeSpan.FromHours(1));
        await Publish(store, options, TimeEstimateAggregatorTests.PythonDocument);
        Assert.Equal(477.5, await estimates.EstimateSecondsAsync("AFS"));
        await Publish(store, options, "{\"value\":[{\"scheme_e\":\"AFS\",\"avg_time_parsed\":1}]}");

        for (var i = 0; i < 10_000; i++)
        {
            var answer = estimates.EstimateSecondsAsync("AFS");
            Assert.True(answer.IsCompletedSuccessfully);
            Assert.Equal(477.5, await answer);
        }
        Assert.Equal(1, store.Gets);
    }

    [Fact]
    public async Task AChangedDocumentIsPickedUpOnceTheIntervalHasPassedAndAnUnchangedOneCostsA304()
    {
        var (store, options, estimates, _) = Create(TimeSpan.Zero);
        await Publish(store, options, TimeEstimateAggregatorTests.PythonDocument);
        Assert.Equal(477.5, await estimates.EstimateSecondsAsync("AFS"));

        await Publish(store, options, "{\"value\":[{\"scheme_e\":\"AFS\",\"avg_time_parsed\":55.5}]}");
        await Durations.Eventually(async () => await estimates.EstimateSecondsAsync("AFS") == 55.5, "the new average");

        // Unchanged: conditional reads (If-None-Match) keep the figures.
        var gets = store.Gets;
        await Durations.Eventually(async () => await estimates.EstimateSecondsAsync("AFS") == 55.5 && store.Gets > gets + 2, "further conditional reads");
        Assert.Equal(55.5, await estimates.EstimateSecondsAsync("AFS"));
    }

    [Fact]
    public async Task StorageDownMeansTheFiguresInMemoryOrTwoMinutesNeverAnError()
    {
        var (store, options, estimates, logger) = Create(TimeSpan.Zero);
        store.Down = true;
        Assert.Equal(120, await estimates.EstimateSecondsAsync("AFS"));
        Assert.True(logger.Contains("Cannot read"));

        store.Down = false;
        await Publish(store, options, TimeEstimateAggregatorTests.PythonDocument);
        await Durations.Eventually(async () => await estimates.EstimateSecondsAsync("AFS") == 477.5, "the average once storage is back");

        store.Down = true;
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(477.5, await estimates.EstimateSecondsAsync("AFS"));
        }
    }

    [Fact]
    public async Task ADocumentThatIsNotTimeConsumptionKeepsThePreviousFigures()
    {
        var (store, options, estimates, logger) = Create(TimeSpan.Zero);
        await Publish(store, options, TimeEstimateAggregatorTests.PythonDocument);
        Assert.Equal(477.5, await estimates.EstimateSecondsAsync("AFS"));

        await Publish(store, options, "[1, 2");
        // Each request past the (zero) interval starts a check; the answer meanwhile comes from memory.
        await Durations.Eventually(async () => await estimates.EstimateSecondsAsync("AFS") == 477.5 && logger.Contains("is not a time_consumption document"),
            "a log line about the document");
        Assert.Equal(477.5, await estimates.EstimateSecondsAsync("AFS"));
    }

    [Fact]
    public void DocumentLinesThatCannotMakeAnEstimateAreSkipped()
    {
        var document = TimeConsumption.Parse(Encoding.UTF8.GetBytes(
            "{\"value\":[{\"scheme_e\":\"AFS\",\"avg_time_parsed\":-1},{\"scheme_e\":\"PCA\",\"avg_time_parsed\":\"x\"},{\"avg_time_parsed\":3},"
            + "{\"scheme_e\":\"MANUAL\",\"avg_time_parsed\":4,\"count\":2,\"median\":4,\"p90\":4.5,\"extra\":true}]}"));
        Assert.Equal([new SchemeTime("MANUAL", 4, 2, 4, 4.5)], document.Schemes);
        Assert.Equal("{\"value\":[{\"scheme_e\":\"MANUAL\",\"avg_time_parsed\":4,\"count\":2,\"median\":4,\"p90\":4.5}]}",
            Encoding.UTF8.GetString(document.ToJson()));
    }
}
