using System.Net;
using System.Globalization;
using System.Text.RegularExpressions;
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
        // The worker's log reaches the host's output a moment after the answers.
        await SidsFunctions.Tests.TimeEstimates.Durations.Eventually(() => Task.FromResult(factory.Logs.Count(l => StagesLine().IsMatch(l)) >= 20),
            "the twenty trainings' stage timings in the log");
        Assert.InRange(PeakRunning(factory, expected: 20), 1, 2);
    }

    // Each training logs its stages when it ends, with its total time: [end - total, end] is when it ran.
    // The most that overlap is the most that ran at once (a few ms of slack for the log's own timing).
    private static int PeakRunning(SidsAppFactory factory, int expected)
    {
        var runs = factory.Logs.Select(l => StagesLine().Match(l)).Where(m => m.Success)
            .Select(m =>
            {
                var end = DateTimeOffset.Parse(m.Groups["at"].Value, CultureInfo.InvariantCulture);
                return (Start: end.AddMilliseconds(-double.Parse(m.Groups["total"].Value, CultureInfo.InvariantCulture)), End: end);
            }).ToArray();
        Assert.Equal(expected, runs.Length);
        var slack = TimeSpan.FromMilliseconds(15);
        return runs.Max(run =>
        {
            var justAfterItStarted = run.Start + slack;
            return Math.Max(1, runs.Count(other => other.Start <= justAfterItStarted && other.End > justAfterItStarted));
        });
    }

    // The worker's own console line (the host passes it through as written).
    private static Regex StagesLine() => new(@"^(?<at>\d{4}-\d\d-\d\dT[\d:.]+Z) info: SidsFunctions\.TwoLevelImputation\[0\] Stages \(ms\):.* total (?<total>\d+)$");

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
