using System.Net;
using Microsoft.Extensions.DependencyInjection;
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
        var log = factory.Services.GetRequiredService<DurationLog>();

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
        Assert.True(await log.FlushAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token));

        var options = factory.Services.GetRequiredService<TimeEstimateOptions>();
        var records = await Durations.ReadAsync(azurite.Store(), container, options.DurationsBlob(DateOnly.FromDateTime(DateTime.UtcNow)));
        // Appends are at least once (a retried append whose answer was lost repeats its lines); the aggregator
        // reads each record id once, and so does this count.
        Assert.Equal(Enumerable.Range(3, 10), records.DistinctBy(r => r.Id).Where(r => r.Duration.Status == PredictDuration.Succeeded)
            .Select(r => r.Duration.Estimators).Order());
        Assert.Equal(0, log.Dropped);
    }
}
