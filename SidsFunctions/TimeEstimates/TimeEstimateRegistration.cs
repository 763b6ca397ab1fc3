using SidsFunctions.Hosting;

namespace SidsFunctions.TimeEstimates;

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
    /// (<see cref="TimeEstimateService"/>) and the timer's work (<see cref="TimeEstimateAggregator"/>). Needs an <see cref="Storage.IBlobStore"/>. Settings
    /// are read from the app's final configuration when first needed.
    /// </summary>
    public static IServiceCollection AddTimeEstimates(this IServiceCollection services)
    {
        services.AddSingleton(provider => TimeEstimateOptions.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton<DurationLog>();
        services.AddSingleton<IDurationRecorder>(provider => provider.GetRequiredService<DurationLog>());
        services.AddHostedService(provider => provider.GetRequiredService<DurationLog>());
        services.AddSingleton<IStartupWarmup>(provider => provider.GetRequiredService<DurationLog>());
        services.AddSingleton<TimeEstimateService>();
        services.AddHostedService<TimeEstimateWarmup>();
        services.AddSingleton<TimeEstimateAggregator>();
        return services;
    }
}
