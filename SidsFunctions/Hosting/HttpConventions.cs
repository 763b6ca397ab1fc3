using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace SidsFunctions.Hosting;

/// <summary>CORS allow-list, allowed methods and security headers: the same for every function.</summary>
public static class HttpConventions
{
    public static readonly IReadOnlyList<string> DefaultCorsOrigins =
    [
        "https://lenseg.github.io", "https://sids-dashboard.github.io", "https://data.undp.org", "http://localhost", "http://localhost:8080",
    ];

    public static readonly IReadOnlySet<string> AllowedMethods = new HashSet<string>(["GET", "POST", "OPTIONS"], StringComparer.Ordinal);

    /// <summary>The Allow header of a method outside <see cref="AllowedMethods"/>.</summary>
    public const string AllowedMethodsHeader = "GET, POST, OPTIONS";

    /// <summary>The configured origins; a wildcard is refused (an exact list only).</summary>
    public static IReadOnlyList<string> CorsOrigins(IConfiguration configuration, ILogger? logger = null)
    {
        var setting = configuration[SettingNames.CorsOrigins];
        if (string.IsNullOrWhiteSpace(setting))
        {
            return DefaultCorsOrigins;
        }
        var origins = setting.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (origins.Contains("*"))
        {
            logger?.LogWarning("{Setting} holds '*': wildcards are refused, only the exact origins listed are allowed", SettingNames.CorsOrigins);
        }
        return origins.Where(o => o != "*").Select(o => o.TrimEnd('/')).ToArray();
    }

    /// <summary>ASP.NET Core's CORS policy and evaluation, applied by <see cref="CorsMiddleware"/>.</summary>
    public static IServiceCollection AddSidsCors(this IServiceCollection services)
    {
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IConfiguration, ILoggerFactory>((o, configuration, logs) =>
            o.AddDefaultPolicy(p => p
            .WithOrigins([.. CorsOrigins(configuration, logs.CreateLogger(typeof(HttpConventions)))])
            .WithMethods([.. AllowedMethods])
            // The platform frontend sends Access-Control-Allow-Origin as a request header; keys go in x-functions-key.
            .WithHeaders("Content-Type", "Access-Control-Allow-Origin", "Authorization", "x-functions-key")
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));
        return services;
    }
}

/// <summary>
/// The CORS allow-list, answered by the app itself (the same on Flex Consumption, AKS and a local run):
/// a preflight is answered here (204, with the allowed origin's headers or none); any other request from
/// an allowed origin gets Access-Control-Allow-Origin on its answer.
/// </summary>
public sealed class CorsMiddleware(ICorsService cors, ICorsPolicyProvider policies) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext()!;
        if (!http.Request.Headers.ContainsKey("Origin"))
        {
            await next(context);
            return;
        }
        var policy = await policies.GetPolicyAsync(http, null);
        var result = cors.EvaluatePolicy(http, policy!);
        cors.ApplyResult(result, http.Response);
        if (result.IsPreflightRequest)
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        await next(context);
    }
}

/// <summary>Headers that keep browsers from sniffing, framing or leaking: strict for the API, relaxed enough for Swagger UI on /docs.</summary>
public sealed class SecurityHeadersMiddleware : IFunctionsWorkerMiddleware
{
    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext()!;
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/docs")
            ? "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
            : "default-src 'none'; frame-ancestors 'none'";
        return next(context);
    }
}
