namespace SidsFunctions.Hosting;

/// <summary>CORS allow-list, allowed methods and security headers: the same for every endpoint.</summary>
public static class HttpConventions
{
    public static readonly IReadOnlyList<string> DefaultCorsOrigins =
    [
        "https://lenseg.github.io", "https://sids-dashboard.github.io", "https://data.undp.org", "http://localhost", "http://localhost:8080",
    ];

    public static readonly IReadOnlySet<string> AllowedMethods = new HashSet<string>(["GET", "POST", "OPTIONS"], StringComparer.Ordinal);

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

    public static IServiceCollection AddSidsCors(this IServiceCollection services)
    {
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IConfiguration, ILoggerFactory>((o, configuration, logs) =>
            o.AddDefaultPolicy(p => p
            .WithOrigins([.. CorsOrigins(configuration, logs.CreateLogger(typeof(HttpConventions)))])
            .WithMethods([.. AllowedMethods])
            // The platform frontend sends Access-Control-Allow-Origin as a request header; keys go in x-functions-key.
            .WithHeaders("Content-Type", "Access-Control-Allow-Origin", "Authorization", "x-functions-key")
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));
        return services;
    }

    /// <summary>405 for methods other than GET, POST and OPTIONS; OPTIONS that is not a CORS preflight is 204.</summary>
    public static IApplicationBuilder UseMethodFilter(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var method = context.Request.Method;
        if (!AllowedMethods.Contains(method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET, POST, OPTIONS";
            await Errors.ErrorHandlingMiddleware.WriteStatusBodyAsync(context);
            return;
        }
        await next(context);
        if (method == "OPTIONS" && context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed && !context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            context.Response.Headers.Allow = "GET, POST, OPTIONS";
        }
    });

    /// <summary>Headers that keep browsers from sniffing, framing or leaking: strict for the API, relaxed enough for Swagger UI on /docs.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/docs")
            ? "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
            : "default-src 'none'; frame-ancestors 'none'";
        return next(context);
    });
}
