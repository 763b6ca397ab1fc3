using SidsModels.Common;

namespace SidsFunctions.Hosting;

/// <summary>
/// Bounds the heavy computations (model training) running at once, so that a burst of requests queues
/// instead of thrashing the cores: up to <see cref="MaxRunning"/> run, up to <see cref="MaxQueued"/> more
/// wait their turn (giving up when their client goes away), and beyond that the request is refused at once
/// with 503 and Retry-After.
/// </summary>
public sealed class ComputeGate
{
    private readonly SemaphoreSlim running;
    private int admitted;
    private int inProgress;
    private int peak;

    public ComputeGate(IConfiguration configuration)
    {
        MaxRunning = Math.Max(1, configuration.GetValue(SettingNames.MaxConcurrentComputations, Environment.ProcessorCount));
        MaxQueued = Math.Max(0, configuration.GetValue(SettingNames.MaxQueuedComputations, 64));
        running = new SemaphoreSlim(MaxRunning, MaxRunning);
    }

    public int MaxRunning { get; }

    public int MaxQueued { get; }

    /// <summary>Computations running or waiting now.</summary>
    public int Admitted => Volatile.Read(ref admitted);

    /// <summary>The most computations that have run at once since start (never above <see cref="MaxRunning"/>).</summary>
    public int PeakRunning => Volatile.Read(ref peak);

    /// <summary>Runs <paramref name="work"/> when a slot is free; throws <see cref="OverloadedException"/> when the queue is full.</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref admitted) > MaxRunning + MaxQueued)
        {
            Interlocked.Decrement(ref admitted);
            throw new OverloadedException(RetryAfterSeconds);
        }
        try
        {
            await running.WaitAsync(cancellationToken);
            try
            {
                var now = Interlocked.Increment(ref inProgress);
                for (var seen = Volatile.Read(ref peak); now > seen && Interlocked.CompareExchange(ref peak, now, seen) != seen; seen = Volatile.Read(ref peak))
                {
                }
                return await work(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref inProgress);
                running.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref admitted);
        }
    }

    /// <summary>A hint for clients refused: enough for the queue to move.</summary>
    private int RetryAfterSeconds => Math.Max(1, MaxQueued / Math.Max(1, MaxRunning));
}

/// <summary>Too many computations running and waiting: 503 with Retry-After.</summary>
public sealed class OverloadedException(int retryAfterSeconds)
    : Exception($"The service is busy: too many computations are running or waiting. Retry in {retryAfterSeconds} s.")
{
    public int RetryAfterSeconds { get; } = retryAfterSeconds;
}
