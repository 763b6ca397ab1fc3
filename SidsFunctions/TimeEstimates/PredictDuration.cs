using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace SidsFunctions.TimeEstimates;

/// <summary>
/// How long one /twolvlImp/predict took, with what shapes its cost: the Python backend logged this as a
/// "Time Consumed" line; here it is a JSON line in the day's duration log.
/// </summary>
/// <param name="Time">When the predict finished (UTC; its day names the log it goes to).</param>
/// <param name="Scheme">AFS, PCA or MANUAL: what the estimate is per.</param>
/// <param name="Model">rfr, etr, gbr, ...</param>
/// <param name="Estimators">Trees (estimators) requested.</param>
/// <param name="Predictors">How many predictors: number_predictor, or the count of manual_predictors.</param>
/// <param name="Interpolator">The interpolator requested.</param>
/// <param name="Seconds">Wall-clock seconds from request to answer.</param>
/// <param name="Status"><see cref="Succeeded"/> (only these make the estimate), or <see cref="Failed"/>.</param>
/// <param name="PredictorNames">The manual predictors, when the scheme is MANUAL (optional).</param>
/// <param name="Approach">year_by_year or temporal (a line written before approaches were recorded reads as year_by_year).</param>
/// <param name="Interval">bootstrap or quantile (null in a line written before intervals were recorded).</param>
public sealed record PredictDuration(
    DateTimeOffset Time,
    string Scheme,
    string Model,
    int Estimators,
    int Predictors,
    string Interpolator,
    double Seconds,
    string Status,
    IReadOnlyList<string>? PredictorNames = null,
    string? Approach = null,
    string? Interval = null)
{
    public string Approach { get; init; } = Approach ?? PredictSettings.DefaultApproach;

    public const string Succeeded = "ok";
    public const string Failed = "error";

    /// <summary>Answered from the cache of identical requests: recorded, but not a computation's duration.</summary>
    public const string Cached = "cached";

    /// <summary>The request was refused (invalid for the data, or the service busy) or its client went away.</summary>
    public const string Refused = "refused";

    /// <summary>
    /// The record as one JSON line (with its newline) under a fresh <paramref name="id"/>, which lets the
    /// reader drop a line written twice (a retried append whose first answer was lost).
    /// </summary>
    public byte[] ToJsonLine(string id)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteString("time", Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            json.WriteString("scheme", Scheme);
            json.WriteString("model", Model);
            json.WriteNumber("estimators", Estimators);
            json.WriteNumber("predictors", Predictors);
            if (PredictorNames is not null)
            {
                json.WriteStartArray("predictor_names");
                foreach (var name in PredictorNames)
                {
                    json.WriteStringValue(name);
                }
                json.WriteEndArray();
            }
            json.WriteString("interpolator", Interpolator);
            json.WriteString("approach", Approach);
            if (Interval is not null)
            {
                json.WriteString("interval", Interval);
            }
            json.WriteNumber("seconds", double.IsFinite(Seconds) ? Math.Round(Seconds, 4) : -1);
            json.WriteString("status", Status);
            json.WriteEndObject();
        }
        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A line of a duration log; null when it is not a whole record (the reader skips it).</summary>
    public static (string? Id, PredictDuration Duration)? ParseJsonLine(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("time", out var time) || time.ValueKind != JsonValueKind.String || !time.TryGetDateTimeOffset(out var when)
                || !root.TryGetProperty("scheme", out var scheme) || scheme.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("seconds", out var seconds) || seconds.ValueKind != JsonValueKind.Number || !seconds.TryGetDouble(out var value))
            {
                return null;
            }
            string? Optional(string name) => root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            string Text(string name) => Optional(name) ?? "";
            int Number(string name) => root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var n) ? n : 0;
            return (Optional("id"), new PredictDuration(when, scheme.GetString()!, Text("model"), Number("estimators"), Number("predictors"),
                Text("interpolator"), value, Text("status"), Approach: Optional("approach"), Interval: Optional("interval")));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
