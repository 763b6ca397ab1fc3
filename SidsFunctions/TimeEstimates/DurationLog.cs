using System.Buffers;
using System.Threading.Channels;
using SidsFunctions.Hosting;
using SidsFunctions.Storage;

namespace SidsFunctions.TimeEstimates;

/// <summary>What the predict endpoint calls once per predict: takes the record and returns at once.</summary>
public interface IDurationRecorder
{
    /// <summary>Buffers the record for the duration log; never blocks, never throws, whatever storage is doing.</summary>
    void Record(PredictDuration duration);
}

/// <summary>
/// The duration log: records buffered in a bounded channel and written in the background as JSON lines,
/// those of a <see cref="TimeEstimateOptions.WriteWindow"/> together, appended to the append blob of their UTC day (<c>{prefix}yyyy-MM-dd.jsonl</c> in the durations
/// container). Each append is one block of whole lines, so instances writing the same blob at once never
/// interleave inside a line. When storage fails, the records stay buffered and are written again with a
/// doubling delay (0.5 s to 30 s); when the buffer is full the oldest records make room (with a log line),
/// so a long outage holds at most <see cref="TimeEstimateOptions.BufferCapacity"/> records waiting, plus
/// the batch being written (at most as many again).
/// Shutdown writes what is left while the host's shutdown timeout lasts.
/// </summary>
public sealed class DurationLog : IHostedService, IDurationRecorder, IStartupWarmup, IDisposable
{
    /// <summary>How long the start-up warm-up waits for storage (<see cref="RunAsync"/>).</summary>
    public static readonly TimeSpan WarmupStorageLimit = TimeSpan.FromSeconds(2);

    private const string BlockCountExceeded = "BlockCountExceedsLimit";

    private readonly IBlobStore store;
    private readonly TimeEstimateOptions options;
    private readonly ILogger<DurationLog> logger;
    private readonly Channel<PredictDuration> channel;
    private readonly SemaphoreSlim retryNow = new(0, 1);
    private readonly CancellationTokenSource abandon = new();
    private readonly Dictionary<DateOnly, int> dayParts = [];
    private Task? writer;
    private TaskCompletionSource progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long accepted;
    private long settled;
    private long dropped;
    private long droppedReported;

    public DurationLog(IBlobStore store, TimeEstimateOptions options, ILogger<DurationLog> logger)
    {
        this.store = store;
        this.options = options;
        this.logger = logger;
        channel = Channel.CreateBounded<PredictDuration>(
            new BoundedChannelOptions(options.BufferCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ =>
            {
                Interlocked.Increment(ref dropped);
                Settle(1);
            });
    }

    /// <summary>Records accepted but not yet written (nor dropped).</summary>
    public long Pending => Volatile.Read(ref accepted) - Volatile.Read(ref settled);

    /// <summary>Records dropped since start: the buffer overflowed, or they came after shutdown.</summary>
    public long Dropped => Volatile.Read(ref dropped);

    /// <summary>Records written to storage since start.</summary>
    public long Written => Volatile.Read(ref settled) - Volatile.Read(ref dropped);

    public string Name => "The duration log";

    /// <summary>
    /// Before the instance takes requests: a record's JSON line is formatted and storage is asked for today's blob
    /// names (which writes nothing), so that the first write after the first predict does not compile the
    /// storage client beside the next requests (it took 10–30 ms of JIT from the second predict of a new
    /// instance) and finds its connection open. Storage that does not answer within <see cref="WarmupStorageLimit"/>
    /// is left to the first write, which retries as always.
    /// </summary>
    public async Task<string?> RunAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        _ = new PredictDuration(now, "MANUAL", "rfr", 10, 1, "KNNImputer", 0, PredictDuration.Succeeded, ["-"]).ToJsonLine(Guid.NewGuid().ToString("N"));
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(WarmupStorageLimit);
        try
        {
            await store.ListAsync(options.DurationsContainer, options.DurationsBlob(DateOnly.FromDateTime(now.UtcDateTime)), bounded.Token);
            return null;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return $"{store.Description} did not answer ({(bounded.IsCancellationRequested ? "timed out" : e.Message)}); the first write will connect";
        }
    }

    public void Record(PredictDuration duration)
    {
        if (duration is null)
        {
            return;
        }
        Interlocked.Increment(ref accepted);
        if (!channel.Writer.TryWrite(duration))
        {
            // Only after shutdown began: nobody writes any more.
            Interlocked.Increment(ref dropped);
            Settle(1);
        }
    }

    /// <summary>
    /// Waits until every record accepted before the call is written (or dropped), retrying storage at once
    /// if it is waiting after a failure. True when done; false when <paramref name="cancellationToken"/>
    /// ended the wait first (storage still down).
    /// </summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        var target = Volatile.Read(ref accepted);
        WakeWriter();
        while (Volatile.Read(ref settled) < target)
        {
            var next = Volatile.Read(ref progress);
            if (Volatile.Read(ref settled) >= target)
            {
                break;
            }
            try
            {
                await next.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Starts the writer (on the thread pool, whatever the host does next).</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        writer ??= Task.Run(WriteLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Accepts no more records, writes what is buffered (at once, even if storage was failing), and gives
    /// up when <paramref name="cancellationToken"/> (the host's shutdown timeout) ends the wait.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        channel.Writer.TryComplete();
        WakeWriter();
        if (writer is null)
        {
            return;
        }
        await using var registration = cancellationToken.Register(abandon.Cancel);
        await writer;
    }

    /// <summary>Stops the writer where it is (the records not written yet are lost: StopAsync writes them).</summary>
    public void Dispose()
    {
        // The token source and semaphore stay undisposed: the writer may still be looking at them as it ends.
        channel.Writer.TryComplete();
        abandon.Cancel();
    }

    // Runs until the channel is completed and drained, or StopAsync's deadline abandons what is left.
    private async Task WriteLoopAsync()
    {
        var reader = channel.Reader;
        var pending = new List<(DateOnly Day, byte[] Line)>();
        var failures = 0;
        // The batch the writer holds is bounded too: with the channel, at most twice the capacity in memory.
        var batchLimit = Math.Min(5_000, options.BufferCapacity);
        while (true)
        {
            if (pending.Count == 0)
            {
                try
                {
                    if (!await reader.WaitToReadAsync(abandon.Token))
                    {
                        break;
                    }
                    // Gather what else arrives in the window into the same append (a flush ends the wait).
                    await retryNow.WaitAsync(options.WriteWindow, abandon.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            while (pending.Count < batchLimit && reader.TryRead(out var duration))
            {
                pending.Add((DateOnly.FromDateTime(duration.Time.UtcDateTime), duration.ToJsonLine(Guid.NewGuid().ToString("N"))));
            }
            try
            {
                await WriteAsync(pending, abandon.Token);
                if (failures > 0)
                {
                    logger.LogInformation("Duration log written again after {Failures} failed attempt(s)", failures);
                }
                failures = 0;
            }
            catch (Exception e) when (!abandon.IsCancellationRequested)
            {
                failures++;
                var delay = RetryDelay(failures);
                if (failures <= 3 || delay >= options.MaxRetryDelay)
                {
                    logger.LogWarning("Cannot write the duration log ({Pending} record(s) waiting, attempt {Failures}; next in {Delay:F1} s): {Error}",
                        Pending, failures, delay.TotalSeconds, e.Message);
                }
                ReportDrops();
                try
                {
                    await retryNow.WaitAsync(delay, abandon.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
            catch (Exception)
            {
                break;
            }
            ReportDrops();
        }
        var lost = Pending;
        if (lost > 0)
        {
            logger.LogWarning("Shutdown: {Lost} duration record(s) could not be written in time", lost);
        }
    }

    private TimeSpan RetryDelay(int failures)
    {
        var delay = options.MinRetryDelay * Math.Pow(2, Math.Min(failures - 1, 20));
        return delay < options.MaxRetryDelay ? delay : options.MaxRetryDelay;
    }

    private void ReportDrops()
    {
        var now = Dropped;
        var before = Interlocked.Exchange(ref droppedReported, now);
        if (now > before)
        {
            logger.LogWarning("Duration log buffer full ({Capacity} records): {Count} oldest record(s) dropped, {Total} since start",
                options.BufferCapacity, now - before, now);
        }
    }

    /// <summary>Appends the pending lines, day by day, in blocks of whole lines; removes each block's lines once written.</summary>
    private async Task WriteAsync(List<(DateOnly Day, byte[] Line)> pending, CancellationToken cancellationToken)
    {
        var written = new bool[pending.Count];
        var writtenCount = 0;
        try
        {
            foreach (var day in pending.Select(p => p.Day).Distinct().ToArray())
            {
                var block = new ArrayBufferWriter<byte>();
                var members = new List<int>();
                for (var i = 0; i < pending.Count; i++)
                {
                    if (pending[i].Day != day)
                    {
                        continue;
                    }
                    if (members.Count > 0 && block.WrittenCount + pending[i].Line.Length > options.MaxBlockBytes)
                    {
                        await AppendAsync(day, block, cancellationToken);
                        Mark(members);
                        block.Clear();
                    }
                    block.Write(pending[i].Line);
                    members.Add(i);
                }
                if (members.Count > 0)
                {
                    await AppendAsync(day, block, cancellationToken);
                    Mark(members);
                }
            }
        }
        finally
        {
            if (writtenCount > 0)
            {
                var index = 0;
                pending.RemoveAll(_ => written[index++]);
                Settle(writtenCount);
            }
        }

        void Mark(List<int> members)
        {
            foreach (var i in members)
            {
                written[i] = true;
            }
            writtenCount += members.Count;
            members.Clear();
        }
    }

    private async Task AppendAsync(DateOnly day, ArrayBufferWriter<byte> block, CancellationToken cancellationToken)
    {
        var part = dayParts.GetValueOrDefault(day);
        while (true)
        {
            try
            {
                await store.AppendAsync(options.DurationsContainer, options.DurationsBlob(day, part), block.WrittenMemory, cancellationToken);
                dayParts[day] = part;
                return;
            }
            catch (BlobStorageException e) when (e.ErrorCode == BlockCountExceeded && part < 1_000)
            {
                // An append blob holds 50,000 blocks: go on in the day's next part.
                part++;
            }
        }
    }

    // Flush waiters read the current source, re-check the count, then wait: a settle in between completes
    // the source they hold, so none misses it.
    private void Settle(long count)
    {
        Interlocked.Add(ref settled, count);
        Interlocked.Exchange(ref progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    // Cuts a retry delay short; remembered when the writer is not waiting yet, so the next delay ends at once.
    private void WakeWriter()
    {
        try
        {
            if (retryNow.CurrentCount == 0)
            {
                retryNow.Release();
            }
        }
        catch (SemaphoreFullException)
        {
        }
    }
}
