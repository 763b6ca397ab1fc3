namespace SidsFunctions.TimeEstimates;

/// <summary>
/// Runs the AggregateTimeEstimates timer in-process on its NCRONTAB schedule (UTC) when no Functions host
/// does (the app run alone: <c>dotnet run</c>, a container; see <see cref="TimeEstimateOptions.RunSchedulerInProcess"/>),
/// else ends at once. A failed run is logged; the next occurrence runs as planned.
/// </summary>
public sealed class TimeEstimateScheduler(TimeEstimateAggregator aggregator, TimeEstimateOptions options, ILogger<TimeEstimateScheduler> logger,
    TimeProvider? time = null) : BackgroundService
{
    private readonly TimeProvider time = time ?? TimeProvider.System;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.RunSchedulerInProcess)
        {
            logger.LogInformation("AggregateTimeEstimates runs when the Functions host invokes it ('{Schedule}')", options.Schedule);
            return;
        }
        logger.LogInformation("AggregateTimeEstimates runs in-process on '{Schedule}' (UTC)", options.Schedule);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow().UtcDateTime;
            if (options.Schedule.NextAfter(now) is not { } next)
            {
                logger.LogWarning("The schedule '{Schedule}' has no next occurrence; the in-process timer stops", options.Schedule);
                return;
            }
            try
            {
                await Task.Delay(next - now, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                await aggregator.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError("AggregateTimeEstimates failed; next run on schedule: {Error}", e.Message);
            }
        }
    }
}

/// <summary>Starts reading the time_consumption document at start-up, so the first estimate rarely waits.</summary>
internal sealed class TimeEstimateWarmup(TimeEstimateService estimates) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = estimates.StartLoading();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class TimeEstimateRegistration
{
    /// <summary>
    /// The duration log (<see cref="IDurationRecorder"/>, written in the background), the estimates
    /// (<see cref="TimeEstimateService"/>), the timer's work (<see cref="TimeEstimateAggregator"/>) and,
    /// when the app runs alone, its in-process schedule. Needs an <see cref="Storage.IBlobStore"/>. Settings
    /// are read from the app's final configuration when first needed.
    /// </summary>
    public static IServiceCollection AddTimeEstimates(this IServiceCollection services)
    {
        services.AddSingleton(provider => TimeEstimateOptions.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton<DurationLog>();
        services.AddSingleton<IDurationRecorder>(provider => provider.GetRequiredService<DurationLog>());
        services.AddHostedService(provider => provider.GetRequiredService<DurationLog>());
        services.AddSingleton<TimeEstimateService>();
        services.AddHostedService<TimeEstimateWarmup>();
        services.AddSingleton<TimeEstimateAggregator>();
        services.AddHostedService<TimeEstimateScheduler>();
        return services;
    }
}
