using System.Diagnostics;
using Microsoft.ApplicationInsights;

namespace SidsFunctions.Hosting;

/// <summary>
/// Traces and metrics for the handler. With an Application Insights connection string, logs and metrics go
/// there (the Functions host records the requests themselves); without one, to the console log.
/// </summary>
public static class Telemetry
{
    public static WebApplicationBuilder AddSidsTelemetry(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration[SettingNames.ApplicationInsights];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            builder.Services.AddApplicationInsightsTelemetryWorkerService(o => o.ConnectionString = connectionString);
        }
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Services.AddSingleton<Metrics>();
        return builder;
    }
}

/// <summary>Named measurements (e.g. a predict's seconds): to Application Insights when configured, else logged at debug level.</summary>
public sealed class Metrics(ILogger<Metrics> logger, TelemetryClient? client = null)
{
    public void Track(string name, double value, string? dimensionName = null, string? dimensionValue = null)
    {
        if (client is not null)
        {
            if (dimensionName is null)
            {
                client.GetMetric(name).TrackValue(value);
            }
            else
            {
                client.GetMetric(name, dimensionName).TrackValue(value, dimensionValue ?? "");
            }
        }
        logger.LogDebug("metric {Name}={Value} {Dimension}={DimensionValue}", name, value, dimensionName, dimensionValue);
    }
}

/// <summary>Logs every request with its status and duration.</summary>
public sealed class RequestTimingMiddleware(RequestDelegate next, ILogger<RequestTimingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            logger.LogInformation("{Method} {Path} {Status} {Milliseconds:F1} ms", context.Request.Method, context.Request.Path,
                context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
