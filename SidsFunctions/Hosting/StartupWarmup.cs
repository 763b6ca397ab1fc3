using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace SidsFunctions.Hosting;

/// <summary>Work a model does once, before the instance takes requests, so that its first requests run at full speed.</summary>
public interface IStartupWarmup
{
    /// <summary>What is warmed, for the log.</summary>
    string Name { get; }

    /// <returns>Null when warmed up, else why it was skipped.</returns>
    Task<string?> RunAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Before the worker connects to the Functions host (which routes requests to it only then): waits for the
/// dataset and runs every <see cref="IStartupWarmup"/>, side by side. A new instance's first predicts otherwise took
/// 0.4 s and then twice their later time, and a warm-up running beside them slowed them further. Bounded by
/// <see cref="Limit"/>: past it the worker starts anyway and the dataset goes on loading as before.
/// </summary>
public static class StartupWarmups
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    public static async Task WarmUpAsync(this IHost host)
    {
        var services = host.Services;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupWarmups).FullName!);
        var warmups = services.GetServices<IStartupWarmup>().ToArray();
        var datasets = services.GetRequiredService<DatasetProvider>();
        if (warmups.Length == 0)
        {
            return;
        }
        using var limit = new CancellationTokenSource(Limit);
        try
        {
            datasets.StartLoading();
            await datasets.Completion.WaitAsync(limit.Token);
            if (!datasets.IsLoaded)
            {
                // Degraded or failed: DatasetStartup reports it once the worker runs.
                return;
            }
            // Side by side: one computes, another waits on storage.
            await Task.WhenAll(warmups.Select(async warmup =>
            {
                var started = Stopwatch.GetTimestamp();
                if (await Task.Run(() => warmup.RunAsync(limit.Token), limit.Token) is { } skipped)
                {
                    logger.LogInformation("{Warmup} not warmed up: {Reason}", warmup.Name, skipped);
                    return;
                }
                logger.LogInformation("{Warmup} warmed up in {Milliseconds:F0} ms", warmup.Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }));
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            logger.LogWarning("Warm-up stopped after {Seconds:F0} s; starting without it", Limit.TotalSeconds);
        }
    }
}
