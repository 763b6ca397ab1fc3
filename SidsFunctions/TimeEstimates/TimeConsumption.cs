using System.Buffers;
using System.Text.Json;

namespace SidsFunctions.TimeEstimates;

/// <summary>
/// One scheme's line of <c>time_consumption</c>: the Python backend's two fields (<c>scheme_e</c>, and
/// <c>avg_time_parsed</c>, the mean seconds of a predict) and this backend's count, median, p90 and the
/// mean per combination of settings (absent in documents the Python backend's Logic App wrote).
/// </summary>
public sealed record SchemeTime(string Scheme, double AverageSeconds, int? Count = null, double? MedianSeconds = null, double? P90Seconds = null,
    IReadOnlyList<SettingsTime>? Settings = null);

/// <summary>The mean seconds of the predicts of one combination of settings within a scheme, and how many there were.</summary>
/// <param name="Approach">year_by_year or temporal (<see cref="PredictSettings.DefaultApproach"/> for a row written before approaches were recorded).</param>
/// <param name="Interval">bootstrap or quantile; null for a row written before intervals were recorded (any interval).</param>
public sealed record SettingsTime(string Interpolator, string Model, int Estimators, int Predictors, double AverageSeconds, int Count, string Approach,
    string? Interval = null)
{
    /// <summary>The request's settings, the interval too unless the row's is unknown.</summary>
    public bool Matches(PredictSettings settings) =>
        SameBeforeInterval(settings.Interpolator, settings.Model, settings.Estimators, settings.Predictors, settings.ApproachOrDefault)
        && (Interval is null || Same(Interval, settings.Interval));

    /// <summary>The same combination of settings (the aggregator's key: a newer row replaces an older one of the same).</summary>
    public bool SameSettings(SettingsTime other) =>
        SameBeforeInterval(other.Interpolator, other.Model, other.Estimators, other.Predictors, other.Approach)
        && string.Equals(Interval, other.Interval, StringComparison.OrdinalIgnoreCase);

    private bool SameBeforeInterval(string? interpolator, string? model, int? estimators, int? predictors, string approach) =>
        Same(Interpolator, interpolator) && Same(Model, model) && Estimators == estimators && Predictors == predictors && Same(Approach, approach);

    public static bool Same(string recorded, string? asked) => string.Equals(recorded, asked, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The <c>time_consumption</c> document: <c>{"value":[{"scheme_e":"AFS","avg_time_parsed":477.5,...}]}</c>,
/// in the Python backend's format, read by /twolvlImp/estimate. One line per scheme, as older readers expect;
/// the finer figures are nested in it (<c>"settings":[{"interpolator","model","estimators","predictors","approach",
/// "interval","avg_time_parsed","count"}]</c>), where readers that do not know them pass them by.
/// </summary>
public sealed record TimeConsumption(IReadOnlyList<SchemeTime> Schemes)
{
    public static TimeConsumption Empty { get; } = new([]);

    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("value");
            foreach (var scheme in Schemes)
            {
                json.WriteStartObject();
                json.WriteString("scheme_e", scheme.Scheme);
                json.WriteNumber("avg_time_parsed", scheme.AverageSeconds);
                if (scheme.Count is { } count)
                {
                    json.WriteNumber("count", count);
                }
                if (scheme.MedianSeconds is { } median)
                {
                    json.WriteNumber("median", median);
                }
                if (scheme.P90Seconds is { } p90)
                {
                    json.WriteNumber("p90", p90);
                }
                if (scheme.Settings is { Count: > 0 } settings)
                {
                    json.WriteStartArray("settings");
                    foreach (var row in settings)
                    {
                        json.WriteStartObject();
                        json.WriteString("interpolator", row.Interpolator);
                        json.WriteString("model", row.Model);
                        json.WriteNumber("estimators", row.Estimators);
                        json.WriteNumber("predictors", row.Predictors);
                        json.WriteString("approach", row.Approach);
                        if (row.Interval is not null)
                        {
                            json.WriteString("interval", row.Interval);
                        }
                        json.WriteNumber("avg_time_parsed", row.AverageSeconds);
                        json.WriteNumber("count", row.Count);
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads a document; lines without a scheme name or a finite, non-negative average are skipped
    /// (they could not make an estimate). A <see cref="JsonException"/> when it is not such a document at all.
    /// </summary>
    public static TimeConsumption Parse(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("time_consumption is not an object with a \"value\" array.");
        }
        var schemes = new List<SchemeTime>();
        foreach (var line in value.EnumerateArray())
        {
            if (line.ValueKind != JsonValueKind.Object
                || !line.TryGetProperty("scheme_e", out var scheme) || scheme.ValueKind != JsonValueKind.String
                || !line.TryGetProperty("avg_time_parsed", out var average) || average.ValueKind != JsonValueKind.Number || !average.TryGetDouble(out var seconds)
                || !double.IsFinite(seconds) || seconds < 0)
            {
                continue;
            }
            schemes.Add(new SchemeTime(scheme.GetString()!, seconds, Count(line), Number(line, "median"), Number(line, "p90"), ParseSettings(line)));
        }
        return new TimeConsumption(schemes);
    }

    /// <summary>
    /// The settings rows of a scheme line; rows lacking a field, or with a negative mean or no predicts, are skipped. A row
    /// without an approach is year by year (what every predict was before requests had one); one without an interval, of any.
    /// </summary>
    private static SettingsTime[]? ParseSettings(JsonElement line)
    {
        if (!line.TryGetProperty("settings", out var settings) || settings.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var rows = new List<SettingsTime>();
        foreach (var row in settings.EnumerateArray())
        {
            if (row.ValueKind == JsonValueKind.Object
                && Text(row, "interpolator") is { } interpolator && Text(row, "model") is { } model
                && Integer(row, "estimators") is { } estimators && Integer(row, "predictors") is { } predictors
                && Number(row, "avg_time_parsed") is { } average and >= 0 && Count(row) is { } count and > 0)
            {
                rows.Add(new SettingsTime(interpolator, model, estimators, predictors, average, count, Text(row, "approach") ?? PredictSettings.DefaultApproach,
                    Text(row, "interval")));
            }
        }
        return rows.ToArray();
    }

    private static string? Text(JsonElement line, string name) =>
        line.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Integer(JsonElement line, string name) =>
        line.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    private static int? Count(JsonElement line) => Integer(line, "count");

    private static double? Number(JsonElement line, string name) =>
        line.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : null;
}

/// <summary>Summary statistics of durations.</summary>
public static class DurationStatistics
{
    /// <summary>
    /// Mean, median and 90th percentile of <paramref name="seconds"/> (sorted in place). Percentiles
    /// interpolate linearly between the two nearest ranks (numpy.percentile's default): p at rank
    /// p·(n−1) of the sorted values. Empty input is the caller's to avoid.
    /// </summary>
    public static SchemeTime Summarise(string scheme, double[] seconds)
    {
        if (seconds.Length == 0)
        {
            throw new ArgumentException("No durations to summarise.", nameof(seconds));
        }
        Array.Sort(seconds);
        var sum = 0.0;
        foreach (var s in seconds)
        {
            sum += s;
        }
        return new SchemeTime(scheme, sum / seconds.Length, seconds.Length, Percentile(seconds, 0.5), Percentile(seconds, 0.9));
    }

    /// <summary>The <paramref name="fraction"/> quantile of sorted values, linearly interpolated.</summary>
    public static double Percentile(ReadOnlySpan<double> sorted, double fraction)
    {
        var rank = fraction * (sorted.Length - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
    }
}
