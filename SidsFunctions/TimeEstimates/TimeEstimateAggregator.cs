using System.Globalization;
using SidsFunctions.Storage;

namespace SidsFunctions.TimeEstimates;

/// <summary>What one run of the timer did, for its log lines and the invocation answer.</summary>
public sealed record AggregationResult(bool Written, int Durations, TimeConsumption Document, IReadOnlyList<string> Log);

/// <summary>
/// The timer's work, in place of the Python backend's Logic App: writes this instance's pending
/// durations, reads the duration logs of the last <see cref="TimeEstimateOptions.Days"/> days, and
/// publishes per scheme the mean seconds of the successful predicts (<c>avg_time_parsed</c>) with their
/// count, median, p90 and a mean per combination of settings (<see cref="SettingsEstimate"/> reads them) as
/// <c>time_consumption</c> in the datasets container. The write is conditional
/// (If-Match on the version read, or If-None-Match: * when there was none), so two instances running at
/// once never overwrite each other's newer document unseen: the loser reads again and recomputes.
/// Schemes without a predict in the window keep their previous line (an older figure beats the default);
/// with no predict at all the document is left as it is.
/// </summary>
public sealed class TimeEstimateAggregator(
    IBlobStore store,
    DurationLog durations,
    TimeEstimateService estimates,
    TimeEstimateOptions options,
    ILogger<TimeEstimateAggregator> logger,
    TimeProvider? time = null)
{
    private readonly TimeProvider time = time ?? TimeProvider.System;

    public async Task<AggregationResult> RunAsync(CancellationToken cancellationToken)
    {
        var log = new List<string>();
        void Note(string line)
        {
            log.Add(line);
            logger.LogInformation("AggregateTimeEstimates: {Line}", line);
        }

        using (var flushWait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            flushWait.CancelAfter(options.FlushTimeout);
            var pending = durations.Pending;
            if (!await durations.FlushAsync(flushWait.Token))
            {
                cancellationToken.ThrowIfCancellationRequested();
                Note($"{durations.Pending} duration(s) of this instance not written yet (storage failing); aggregating without them");
            }
            else if (pending > 0)
            {
                Note($"wrote {pending} pending duration(s) of this instance");
            }
        }

        var now = time.GetUtcNow();
        var since = now - TimeSpan.FromDays(options.Days);
        var (bySchemes, count, blobs) = await ReadWindowAsync(since, now, cancellationToken);
        Note($"{count} successful predict(s) in {blobs} duration log(s) since {since.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}");
        if (count == 0)
        {
            Note($"no durations in the last {options.Days} day(s): {TimeEstimateOptions.DocumentName} left as it is");
            return new AggregationResult(false, 0, estimates.Current, log);
        }

        for (var attempt = 1; ; attempt++)
        {
            var existing = await store.GetAsync(options.DatasetsContainer, TimeEstimateOptions.DocumentName, BlobConditions.None, cancellationToken);
            var previous = existing.Found ? TryParse(existing.Content!) : TimeConsumption.Empty;
            var fresh = bySchemes.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => Summarise(p.Key, p.Value, previous.Schemes.FirstOrDefault(s => Same(s.Scheme, p.Key))))
                .ToArray();
            var kept = previous.Schemes.Where(s => fresh.All(f => !Same(f.Scheme, s.Scheme)));
            var document = new TimeConsumption(fresh.Concat(kept).OrderBy(s => s.Scheme, StringComparer.Ordinal).ToArray());
            var content = document.ToJson();
            if (existing.Found && existing.Content!.AsSpan().SequenceEqual(content))
            {
                estimates.Publish(document, existing.ETag);
                Note($"{TimeEstimateOptions.DocumentName} unchanged: {Describe(fresh)}");
                return new AggregationResult(false, count, document, log);
            }
            var conditions = existing.Found ? BlobConditions.Matching(existing.ETag!) : BlobConditions.IfAbsent;
            var upload = await store.PutAsync(options.DatasetsContainer, TimeEstimateOptions.DocumentName, content, conditions,
                "application/json", cancellationToken);
            if (upload.Written)
            {
                estimates.Publish(document, upload.ETag);
                Note($"wrote {options.DatasetsContainer}/{TimeEstimateOptions.DocumentName}: {Describe(fresh)}");
                return new AggregationResult(true, count, document, log);
            }
            if (attempt >= 5)
            {
                throw new BlobStorageException($"{TimeEstimateOptions.DocumentName} kept changing while it was written (5 attempts); left to the next run");
            }
            Note($"{TimeEstimateOptions.DocumentName} changed while it was computed; reading it again");
        }
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A scheme's line: its mean, median and p90, and a mean per combination of settings. Settings without a
    /// predict in the window keep their previous row (as whole schemes do): an older figure for 1,000 trees
    /// beats a guess from 10.
    /// </summary>
    private static SchemeTime Summarise(string scheme, List<PredictDuration> durations, SchemeTime? previous)
    {
        var settings = durations
            .GroupBy(d => (Interpolator: d.Interpolator.ToUpperInvariant(), Model: d.Model.ToUpperInvariant(), d.Estimators, d.Predictors,
                Approach: d.Approach.ToUpperInvariant(), Interval: d.Interval?.ToUpperInvariant()))
            .Select(g =>
            {
                var summary = DurationStatistics.Summarise(scheme, g.Select(d => d.Seconds).ToArray());
                return new SettingsTime(g.First().Interpolator, g.First().Model, g.Key.Estimators, g.Key.Predictors, summary.AverageSeconds, summary.Count!.Value,
                    g.First().Approach, g.First().Interval);
            })
            .ToList();
        settings.AddRange((previous?.Settings ?? []).Where(old => !settings.Any(row => row.SameSettings(old))));
        var rows = settings.OrderBy(r => r.Interpolator, StringComparer.Ordinal).ThenBy(r => r.Model, StringComparer.Ordinal)
            .ThenBy(r => r.Estimators).ThenBy(r => r.Predictors).ThenBy(r => r.Approach, StringComparer.Ordinal)
            .ThenBy(r => r.Interval ?? "", StringComparer.Ordinal).ToArray();
        return DurationStatistics.Summarise(scheme, durations.Select(d => d.Seconds).ToArray()) with { Settings = rows };
    }

    private TimeConsumption TryParse(byte[] content)
    {
        try
        {
            return TimeConsumption.Parse(content);
        }
        catch (System.Text.Json.JsonException e)
        {
            logger.LogWarning("The existing {Document} is not readable ({Error}); replacing it", TimeEstimateOptions.DocumentName, e.Message);
            return TimeConsumption.Empty;
        }
    }

    /// <summary>The successful predicts since <paramref name="since"/>, per scheme (upper case), each line once.</summary>
    private async Task<(Dictionary<string, List<PredictDuration>> BySchemes, int Count, int Blobs)> ReadWindowAsync(
        DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var first = DateOnly.FromDateTime(since.UtcDateTime);
        var last = DateOnly.FromDateTime(now.UtcDateTime);
        var names = (await store.ListAsync(options.DurationsContainer, options.DurationsPrefix, cancellationToken))
            .Where(b => options.DayOfBlob(b.Name) is { } day && day >= first && day <= last)
            .Select(b => b.Name)
            .ToArray();
        var downloads = await Task.WhenAll(names.Select(n => store.GetAsync(options.DurationsContainer, n, BlobConditions.None, cancellationToken)));

        var bySchemes = new Dictionary<string, List<PredictDuration>>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        var skipped = 0;
        foreach (var download in downloads.Where(d => d.Found))
        {
            var content = download.Content.AsSpan();
            while (content.Length > 0)
            {
                var end = content.IndexOf((byte)'\n');
                var line = end < 0 ? content : content[..end];
                content = end < 0 ? [] : content[(end + 1)..];
                if (line.Trim((byte)' ').Length == 0)
                {
                    continue;
                }
                if (PredictDuration.ParseJsonLine(line) is not { } parsed)
                {
                    skipped++;
                    continue;
                }
                var (id, duration) = parsed;
                if (duration.Status != PredictDuration.Succeeded || duration.Time < since || !double.IsFinite(duration.Seconds)
                    || duration.Seconds < 0 || duration.Scheme.Length == 0 || (id is not null && !seen.Add(id)))
                {
                    continue;
                }
                var scheme = duration.Scheme.ToUpperInvariant();
                if (!bySchemes.TryGetValue(scheme, out var list))
                {
                    bySchemes[scheme] = list = [];
                }
                list.Add(duration);
                count++;
            }
        }
        if (skipped > 0)
        {
            logger.LogWarning("Skipped {Skipped} unreadable line(s) in the duration logs", skipped);
        }
        return (bySchemes, count, names.Length);
    }

    private static string Describe(IEnumerable<SchemeTime> schemes) => string.Join(", ", schemes.Select(s => string.Create(CultureInfo.InvariantCulture,
        $"{s.Scheme} mean {s.AverageSeconds:0.###} s, median {s.MedianSeconds:0.###} s, p90 {s.P90Seconds:0.###} s (n={s.Count})")));
}
