namespace SidsFunctions.TimeEstimates;

/// <summary>
/// Runs the AggregateTimeEstimates timer in-process on its NCRONTAB schedule (UTC) when no Functions host
/// does (the app run alone: <c>dotnet run</c>, a container; see <see cref="TimeEstimateOptions.RunSchedulerInProcess"/>),
/// and whenever <see cref="RunNow"/> asks, as the Functions host's admin API runs a timer on demand
/// (<see cref="TimeEstimateRegistration.MapLocalTimerInvocation"/>). A failed run is logged; the next runs as planned.
/// </summary>
public sealed class TimeEstimateScheduler(TimeEstimateAggregator aggregator, TimeEstimateOptions options, ILogger<TimeEstimateScheduler> logger,
    TimeProvider? time = null) : BackgroundService
{
    private readonly TimeProvider time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim runNow = new(0, 1);

    /// <summary>Runs the aggregation now instead of at the next occurrence (several calls before it starts: one run).</summary>
    public void RunNow()
    {
        try
        {
            runNow.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation(options.RunSchedulerInProcess
            ? "AggregateTimeEstimates runs in-process on '{Schedule}' (UTC)"
            : "AggregateTimeEstimates runs when the Functions host invokes it ('{Schedule}')", options.ScheduleExpression);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = Timeout.InfiniteTimeSpan;
            if (options.RunSchedulerInProcess)
            {
                var now = time.GetUtcNow().UtcDateTime;
                // Never DateTime.MaxValue: the options refuse a schedule that does not occur.
                wait = options.Schedule.GetNextOccurrence(now) - now;
            }
            // Until the next occurrence, or RunNow, or shutdown.
            using (var due = new CancellationTokenSource(wait, time))
            using (var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, due.Token))
            {
                try
                {
                    await runNow.WaitAsync(either.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                }
                catch (OperationCanceledException)
                {
                    return;
                }
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
        services.AddSingleton<TimeEstimateScheduler>();
        services.AddHostedService(provider => provider.GetRequiredService<TimeEstimateScheduler>());
        return services;
    }

    /// <summary>
    /// Run alone, no Functions host answers its admin call that runs a timer on demand
    /// (<c>POST /admin/functions/NAME</c>, 202 Accepted, the run follows in the background): the app answers
    /// it, to local callers only (loopback, not forwarded; the host's own admin API asks for its master key).
    /// Under a Functions host the host owns /admin: such requests never reach the app.
    /// </summary>
    public static IEndpointRouteBuilder MapLocalTimerInvocation(this IEndpointRouteBuilder app, string functionName)
    {
        app.MapPost("/admin/functions/" + functionName, (HttpContext context, TimeEstimateScheduler scheduler) =>
        {
            if (Hosting.RateLimiting.ClientOf(context) is not null)
            {
                return Results.NotFound();
            }
            scheduler.RunNow();
            return Results.Accepted();
        }).ExcludeFromDescription();
        return app;
    }
}
