using System.Net;
using SidsFunctions.Storage;
using SidsFunctions.Tests.Infrastructure;
using SidsFunctions.Tests.Storage;
using SidsFunctions.Tests.TimeEstimates;
using SidsFunctions.TimeEstimates;

namespace SidsFunctions.Tests.Reliability;

/// <summary>Storage stopped and restarted during a run of predicts: every predict answers 200, no duration record is lost.</summary>
public sealed class StorageOutageTests
{
    private sealed class StorageFactory(string connectionString, string container) : SidsAppFactory(new Dictionary<string, string?>
    {
        ["AzureWebJobsStorage"] = connectionString,
        ["DURATIONS_CONTAINER"] = container,
    });

    private static object Predict(int i) => new
    {
        manual_predictors = new[] { "wdi-AG.LND.AGRI.K2" }, target_year = "2001", target = "key-wdi-EG.ELC.ACCS.ZS", interpolator = "KNNImputer",
        scheme = "MANUAL", estimators = 3 + i, model = "rfr", interval = "quantile", dataset = "key",
    };

    [Fact]
    public async Task PredictsKeepAnsweringAndTheirDurationsAreWrittenWhenStorageIsBack()
    {
        await using var azurite = await Azurite.StartAsync();
        var container = Names.Container("outage");
        await using var factory = new StorageFactory(azurite.ConnectionString, container);
        var client = factory.CreateClient();

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/twolvlImp/predict", Predict(i))).StatusCode);
        }
        await azurite.StopAsync(graceful: true);
        for (var i = 4; i < 10; i++)
        {
            var answer = client.PostJsonAsync("/twolvlImp/predict", Predict(i));
            // Storage being down must not hold the answer: a guard against a hang, not a timing.
            Assert.Same(answer, await Task.WhenAny(answer, Task.Delay(TimeSpan.FromSeconds(60))));
            Assert.Equal(HttpStatusCode.OK, (await answer).StatusCode);
        }
        await azurite.StartAgainAsync();

        // The duration log retries in the background until storage is back: every record arrives, none is dropped.
        // Appends are at least once (a retried append whose answer was lost repeats its lines); the aggregator
        // reads each record id once, and so does this count.
        var blob = new TimeEstimateOptions().DurationsBlob(DateOnly.FromDateTime(DateTime.UtcNow));
        int[] written = [];
        await Durations.Eventually(async () => (written = (await Durations.ReadAsync(azurite.Store(), container, blob)).DistinctBy(r => r.Id)
            .Where(r => r.Duration.Status == PredictDuration.Succeeded).Select(r => r.Duration.Estimators).Order().ToArray()).Length >= 10,
            "the ten duration records", seconds: 90);
        Assert.Equal(Enumerable.Range(3, 10), written);
        Assert.DoesNotContain(factory.Logs, l => l.Contains("dropped", StringComparison.OrdinalIgnoreCase));
    }
}
