using System.Net;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.Platform;

/// <summary>Per-client rate limiting: 429 with Retry-After and a JSON error beyond the configured permits.</summary>
public sealed class RateLimitTests(RateLimitTests.LimitedFactory factory) : IClassFixture<RateLimitTests.LimitedFactory>
{
    public sealed class LimitedFactory() : SidsAppFactory(new Dictionary<string, string?>
    {
        ["RATE_LIMIT_PERMITS"] = "3",
        ["RATE_LIMIT_WINDOW_SECONDS"] = "60",
    });

    private async Task<HttpResponseMessage> GetAs(string client)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-For", $"{client}, 10.0.0.1");
        return await factory.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task AClientBeyondItsPermitsGets429WithRetryAfter()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAs("203.0.113.7")).StatusCode);
        }
        var refused = await GetAs("203.0.113.7");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.StartsWith("Too many requests", (await refused.ReadJsonAsync())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await GetAs("198.51.100.2")).StatusCode); // another client is counted apart
    }

    [Fact]
    public async Task LocalCallersWithoutAForwardingHeaderAreNotLimited()
    {
        var client = factory.CreateClient();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        }
    }
}
