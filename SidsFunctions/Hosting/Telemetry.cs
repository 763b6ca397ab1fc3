using System.Diagnostics;
using Microsoft.ApplicationInsights;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace SidsFunctions.Hosting;

/// <summary>
/// Traces and metrics: Application Insights through the worker's integration (Worker.ApplicationInsights +
/// WorkerService; with <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> set, logs and metrics go there, the
/// Functions host records the requests), and a single-line console log.
/// </summary>
public static class Telemetry
{
    public static FunctionsApplicationBuilder AddSidsTelemetry(this FunctionsApplicationBuilder builder)
    {
        // Only where there is somewhere to send it: unconfigured, its collectors and buffers cost the worker
        // ~40 MB and every request some time, for telemetry that goes nowhere.
        if (!string.IsNullOrWhiteSpace(builder.Configuration[SettingNames.ApplicationInsights]))
        {
            builder.Services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();
        }
        // The Application Insights provider keeps only warnings by default: the app's information logs (the
        // "Time Consumed" line, stage timings, each request's status) are what the time estimates and operators read.
        builder.Logging.Services.Configure<LoggerFilterOptions>(options =>
        {
            var warningsOnly = options.Rules.FirstOrDefault(r =>
                r.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider");
            if (warningsOnly is not null)
            {
                options.Rules.Remove(warningsOnly);
            }
        });
        // The worker's logs reach the Functions host over gRPC (RpcLog), which writes them to its console and
        // Application Insights; the worker's own console keeps warnings and errors (a start-up failure shows
        // before the host connection exists) and the two-level lines (Time Consumed, stage timings), stamped
        // when written. Every information line twice cost a third of the light-request throughput.
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>((category, level) =>
            level >= LogLevel.Warning || level >= LogLevel.Information && category == TwoLevelImputation.TwoLevelImputationFunction.LogCategory);
        builder.Services.AddSingleton<Metrics>();
        return builder;
    }
}

/// <summary>Named measurements (e.g. a predict's seconds): to Application Insights when configured, and logged at debug level.</summary>
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

/// <summary>Logs every request with the status the client received (once the answer is sent) and its duration.</summary>
public sealed class RequestLoggingMiddleware(ILogger<RequestLoggingMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext()!;
        var started = Stopwatch.GetTimestamp();
        http.Response.OnCompleted(() =>
        {
            logger.LogInformation("{Method} {Path} {Status} {Milliseconds:F1} ms", http.Request.Method, http.Request.Path,
                http.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return Task.CompletedTask;
        });
        return next(context);
    }
}
