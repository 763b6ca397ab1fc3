using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace SidsFunctions.Hosting;

/// <summary>
/// Per-client rate limiting (System.Threading.RateLimiting): a fixed window of <c>RATE_LIMIT_PERMITS</c>
/// requests per <c>RATE_LIMIT_WINDOW_SECONDS</c> per client, 429 with Retry-After beyond it (0 permits
/// disables it). The client is the first X-Forwarded-For address when the request comes through a proxy
/// or the Functions host, else the remote address; callers on this machine without a forwarding header
/// (local load tests) are not limited.
/// </summary>
public sealed class RateLimitingMiddleware : IFunctionsWorkerMiddleware, IDisposable
{
    public const int DefaultPermits = 1200;
    public const int DefaultWindowSeconds = 60;

    private readonly int permits;
    private readonly TimeSpan window;
    private readonly PartitionedRateLimiter<HttpContext> limiter;

    public RateLimitingMiddleware(IConfiguration configuration)
    {
        permits = configuration.GetValue(SettingNames.RateLimitPermits, DefaultPermits);
        window = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue(SettingNames.RateLimitWindowSeconds, DefaultWindowSeconds)));
        limiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            permits <= 0 || ClientOf(context) is not { } client
                ? RateLimitPartition.GetNoLimiter("unlimited")
                : RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits,
                    Window = window,
                    QueueLimit = 0,
                }));
    }

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext()!;
        using var lease = limiter.AttemptAcquire(http);
        if (!lease.IsAcquired)
        {
            var retryAfter = (int)Math.Ceiling((lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window).TotalSeconds);
            context.GetInvocationResult().Value = Answer.Error(StatusCodes.Status429TooManyRequests,
                new Errors.MessageErrorBody($"Too many requests: at most {permits} per {window.TotalSeconds:0} s per client. Retry after {retryAfter} s."),
                retryAfter);
            return;
        }
        await next(context);
    }

    /// <summary>
    /// The client a request is counted against (its address, without a port), or null for callers on this
    /// machine, which are not limited. The Functions host (Azure's front end, the local host) names the
    /// client first in X-Forwarded-For; the worker's own peer is always the host.
    /// </summary>
    public static string? ClientOf(HttpContext context)
    {
        var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
        var first = forwarded.Length > 0 ? forwarded.Split(',', 2)[0].Trim() : null;
        var address = first is null ? context.Connection.RemoteIpAddress
            : IPAddress.TryParse(first, out var ip) ? ip
            : IPEndPoint.TryParse(first, out var endpoint) ? endpoint.Address
            : null;
        if (address is null)
        {
            return first; // not an address: counted as written
        }
        return IPAddress.IsLoopback(address) ? null : address.ToString();
    }

    public void Dispose() => limiter.Dispose();
}
