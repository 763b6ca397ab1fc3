using System.Collections.Frozen;
using System.Text.Json;
using SidsFunctions.Storage;

namespace SidsFunctions.TimeEstimates;

/// <summary>
/// How long a predict takes, answered from memory: from the latest <c>time_consumption</c> document of the
/// datasets container, for the request's own settings (<see cref="SettingsEstimate"/>), or
/// <see cref="DefaultSeconds"/> (the Python backend's answer) when there is none or it lacks the scheme. The document is checked again at most once per refresh interval, by the
/// first request after it (a conditional GET that costs nothing when unchanged, done in the background:
/// that request answers from memory too); the timer of this instance hands its new document over at once.
/// </summary>
public sealed class TimeEstimateService(IBlobStore store, TimeEstimateOptions options, ILogger<TimeEstimateService> logger, TimeProvider? time = null)
{
    /// <summary>Seconds answered without a figure for the scheme (the Python backend's 2 minutes).</summary>
    public const double DefaultSeconds = 120;

    /// <summary>How long the first estimate after start waits for the document before answering the default.</summary>
    private static readonly TimeSpan FirstLoadWait = TimeSpan.FromSeconds(5);

    private readonly TimeProvider time = time ?? TimeProvider.System;
    private readonly Lock loadGate = new();
    private Snapshot? snapshot;
    private Task? firstLoad;
    private int refreshing;

    /// <summary>The figures in memory, with the document version they came from.</summary>
    private sealed record Snapshot(FrozenDictionary<string, SchemeTime> Schemes, TimeConsumption Document, string? ETag, long CheckedAt);

    /// <summary>Estimated seconds of a predict of <paramref name="scheme"/> (AFS, PCA, MANUAL; case-insensitive), whatever its other settings.</summary>
    public ValueTask<double> EstimateSecondsAsync(string scheme, CancellationToken cancellationToken = default) =>
        EstimateSecondsAsync(new PredictSettings(scheme), cancellationToken);

    /// <summary>
    /// Estimated seconds of a predict with these <paramref name="settings"/>. From memory, synchronously, once
    /// the document has been read; the first call after start waits for that read (at most 5 s).
    /// </summary>
    public ValueTask<double> EstimateSecondsAsync(PredictSettings settings, CancellationToken cancellationToken = default)
    {
        var current = Volatile.Read(ref snapshot);
        if (current is null)
        {
            return new ValueTask<double>(FirstEstimateAsync(settings, cancellationToken));
        }
        if (time.GetElapsedTime(current.CheckedAt) >= options.RefreshInterval && Interlocked.CompareExchange(ref refreshing, 1, 0) == 0)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await RefreshAsync(CancellationToken.None);
                }
                finally
                {
                    Volatile.Write(ref refreshing, 0);
                }
            }, CancellationToken.None);
        }
        return new ValueTask<double>(Lookup(current, settings));
    }

    /// <summary>The document in memory (empty before the first read).</summary>
    public TimeConsumption Current => Volatile.Read(ref snapshot)?.Document ?? TimeConsumption.Empty;

    /// <summary>Starts the first read of the document (at start-up) without waiting for it.</summary>
    public Task StartLoading()
    {
        lock (loadGate)
        {
            return firstLoad ??= Task.Run(() => RefreshAsync(CancellationToken.None), CancellationToken.None);
        }
    }

    /// <summary>
    /// Reads the document if it changed since the version in memory (If-None-Match); keeps the figures in
    /// memory when storage fails (logged). Never throws for storage failures.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref snapshot);
        var now = time.GetTimestamp();
        try
        {
            var conditions = current?.ETag is { } etag ? BlobConditions.ChangedSince(etag) : BlobConditions.None;
            var download = await store.GetAsync(options.DatasetsContainer, TimeEstimateOptions.DocumentName, conditions, cancellationToken);
            switch (download.Status)
            {
                case BlobReadStatus.NotModified:
                    Replace(current, current! with { CheckedAt = now });
                    break;
                case BlobReadStatus.Found:
                    Replace(current, FromDocument(ParseOrKeep(download.Content!, current), download.ETag, now));
                    break;
                default:
                    Replace(current, FromDocument(TimeConsumption.Empty, null, now));
                    break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Storage failing (or anything unforeseen): keep answering from memory, try again when due.
            logger.LogWarning("Cannot read {Container}/{Document}; estimates stay as they were: {Error}",
                options.DatasetsContainer, TimeEstimateOptions.DocumentName, e.Message);
            Replace(current, current is null ? FromDocument(TimeConsumption.Empty, null, now) : current with { CheckedAt = now });
        }
    }

    /// <summary>Takes a document this instance just wrote (its ETag from the write): estimates follow it at once.</summary>
    public void Publish(TimeConsumption document, string? etag) => Volatile.Write(ref snapshot, FromDocument(document, etag, time.GetTimestamp()));

    private async Task<double> FirstEstimateAsync(PredictSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            await StartLoading().WaitAsync(FirstLoadWait, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("The time_consumption document took more than {Seconds} s to read; answering the default estimate", FirstLoadWait.TotalSeconds);
        }
        return Volatile.Read(ref snapshot) is { } loaded ? Lookup(loaded, settings) : DefaultSeconds;
    }

    private TimeConsumption ParseOrKeep(byte[] content, Snapshot? current)
    {
        try
        {
            return TimeConsumption.Parse(content);
        }
        catch (JsonException e)
        {
            logger.LogWarning("{Container}/{Document} is not a time_consumption document ({Error}); estimates stay as they were",
                options.DatasetsContainer, TimeEstimateOptions.DocumentName, e.Message);
            return current?.Document ?? TimeConsumption.Empty;
        }
    }

    // A refresh that started before a Publish must not undo it: replace only the snapshot it started from.
    private void Replace(Snapshot? expected, Snapshot next) => Interlocked.CompareExchange(ref snapshot, next, expected);

    private static Snapshot FromDocument(TimeConsumption document, string? etag, long checkedAt)
    {
        var schemes = new Dictionary<string, SchemeTime>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in document.Schemes)
        {
            schemes[line.Scheme] = line;
        }
        return new Snapshot(schemes.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase), document, etag, checkedAt);
    }

    private static double Lookup(Snapshot current, PredictSettings settings) =>
        current.Schemes.TryGetValue(settings.Scheme, out var scheme) ? SettingsEstimate.Seconds(scheme, settings) : DefaultSeconds;
}
