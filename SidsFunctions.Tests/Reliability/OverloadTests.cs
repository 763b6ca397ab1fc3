using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SidsFunctions.Hosting;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.Reliability;

/// <summary>Many heavy predicts at once: they queue within the bound and all answer; beyond the queue, 503 with Retry-After.</summary>
public sealed class OverloadTests
{
    private sealed class BoundedFactory(int running, int queued) : SidsAppFactory(new Dictionary<string, string?>
    {
        ["MAX_CONCURRENT_COMPUTATIONS"] = $"{running}",
        ["MAX_QUEUED_COMPUTATIONS"] = $"{queued}",
    });

    // Distinct requests (the cache would otherwise answer all but one), each a full AFS run.
    private static object Heavy(int i) => new
    {
        number_predictor = 10, target_year = "2001", target = "key-wdi-EG.ELC.ACCS.ZS", interpolator = "KNNImputer", scheme = "AFS",
        estimators = 30 + i, model = "rfr", interval = "quantile", dataset = "key",
    };

    [Fact]
    public async Task TwentyConcurrentHeavyPredictsStayWithinTheBoundAndAllAnswer()
    {
        await using var factory = new BoundedFactory(running: 2, queued: 64);
        var client = factory.CreateClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.PostJsonAsync("/twolvlImp/predict", Heavy(i))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var gate = factory.Services.GetRequiredService<ComputeGate>();
        Assert.InRange(gate.PeakRunning, 1, 2);
        Assert.Equal(0, gate.Admitted);
    }

    [Fact]
    public async Task BeyondTheQueueRequestsAreRefusedWith503AndRetryAfter()
    {
        await using var factory = new BoundedFactory(running: 1, queued: 1);
        var client = factory.CreateClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.PostJsonAsync("/twolvlImp/predict", Heavy(100 + i))));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToArray();
        Assert.NotEmpty(refused);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, r.StatusCode.ToString()));
        foreach (var response in refused)
        {
            Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
            Assert.StartsWith("The service is busy", (await response.ReadJsonAsync())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }
}
