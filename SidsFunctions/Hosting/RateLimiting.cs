using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace SidsFunctions.Hosting;

/// <summary>
/// Per-client rate limiting with ASP.NET Core's limiter: a fixed window of <c>RATE_LIMIT_PERMITS</c>
/// requests per <c>RATE_LIMIT_WINDOW_SECONDS</c> per client, 429 with Retry-After beyond it (0 permits
/// disables it). The client is the first X-Forwarded-For address when the request comes through a proxy
/// or the Functions host, else the remote address; callers on this machine without a forwarding header
/// (the Functions host's own calls, local load tests) are not limited.
/// </summary>
public static class RateLimiting
{
    public const int DefaultPermits = 1200;
    public const int DefaultWindowSeconds = 60;

    public static IServiceCollection AddSidsRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            var permits = configuration.GetValue(SettingNames.RateLimitPermits, DefaultPermits);
            var window = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue(SettingNames.RateLimitWindowSeconds, DefaultWindowSeconds)));
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = (int)Math.Ceiling((context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window).TotalSeconds);
                await Errors.ErrorHandlingMiddleware.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests,
                    new Errors.MessageErrorBody($"Too many requests: at most {permits} per {window.TotalSeconds:0} s per client. Retry after {retryAfter} s."),
                    retryAfter);
            };
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                permits <= 0 || ClientOf(context) is not { } client
                    ? RateLimitPartition.GetNoLimiter("unlimited")
                    : RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = permits,
                        Window = window,
                        QueueLimit = 0,
                    }));
        });
        return services;
    }

    /// <summary>The client a request is counted against, or null for local callers that are not limited.</summary>
    public static string? ClientOf(HttpContext context)
    {
        var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
        if (forwarded.Length > 0)
        {
            return forwarded.Split(',', 2)[0].Trim();
        }
        var remote = context.Connection.RemoteIpAddress;
        return remote is null || IPAddress.IsLoopback(remote) ? null : remote.ToString();
    }
}
