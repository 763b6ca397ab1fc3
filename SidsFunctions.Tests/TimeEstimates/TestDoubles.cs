using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;
using SidsFunctions.Storage;
using SidsFunctions.TimeEstimates;

namespace SidsFunctions.Tests.TimeEstimates;

/// <summary>A logger that keeps its lines, to check what the services report.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"{logLevel}: {formatter(state, exception)}");

    public bool Contains(string text) => Lines.Any(l => l.Contains(text, StringComparison.Ordinal));
}

/// <summary>A store that can be switched off (every call fails as an unreachable service would) and counts reads, appends and listings.</summary>
public sealed class SwitchableStore(IBlobStore inner) : IBlobStore
{
    private int gets;
    private int appends;
    private int lists;

    public volatile bool Down;

    public int Gets => Volatile.Read(ref gets);

    public int Appends => Volatile.Read(ref appends);

    public int Lists => Volatile.Read(ref lists);

    public string Description => "switchable " + inner.Description;

    private void Check()
    {
        if (Down)
        {
            throw new BlobStorageException("storage is down (test)");
        }
    }

    public Task<BlobDownload> GetAsync(string container, string blob, BlobConditions conditions = default, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref gets);
        Check();
        return inner.GetAsync(container, blob, conditions, cancellationToken);
    }

    public Task<BlobUpload> PutAsync(string container, string blob, ReadOnlyMemory<byte> content, BlobConditions conditions = default,
        string? contentType = null, CancellationToken cancellationToken = default)
    {
        Check();
        return inner.PutAsync(container, blob, content, conditions, contentType, cancellationToken);
    }

    public Task AppendAsync(string container, string blob, ReadOnlyMemory<byte> block, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref appends);
        Check();
        return inner.AppendAsync(container, blob, block, cancellationToken);
    }

    public Task<IReadOnlyList<BlobEntry>> ListAsync(string container, string prefix, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref lists);
        Check();
        return inner.ListAsync(container, prefix, cancellationToken);
    }
}

public static class Durations
{
    public static PredictDuration Of(string scheme, double seconds, DateTimeOffset time, string status = PredictDuration.Succeeded) =>
        new(time, scheme, "rfr", 10, 5, "KNNImputer", seconds, status);

    /// <summary>The records of a duration log blob, with their ids.</summary>
    public static async Task<IReadOnlyList<(string? Id, PredictDuration Duration)>> ReadAsync(IBlobStore store, string container, string blob)
    {
        var download = await store.GetAsync(container, blob);
        if (!download.Found)
        {
            return [];
        }
        return System.Text.Encoding.UTF8.GetString(download.Content!).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => PredictDuration.ParseJsonLine(System.Text.Encoding.UTF8.GetBytes(line)) ?? throw new InvalidDataException($"not a record: {line}"))
            .ToArray();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <paramref name="seconds"/>.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} did not happen within {seconds} s");
            await Task.Delay(20);
        }
    }
}
