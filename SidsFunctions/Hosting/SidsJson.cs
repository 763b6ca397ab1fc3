using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace SidsFunctions.Hosting;

/// <summary>
/// The one JSON setup of the app: request fields in snake_case as the Python backend named them
/// (records give explicit names where the backend did otherwise), enums as their wire names, NaN and
/// infinities written as null (JSON has no NaN; pandas' answers carried null there too).
/// </summary>
public static class SidsJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.WriteIndented = false;
        options.MaxDepth = 64;
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(SidsJsonContext.Default, new DefaultJsonTypeInfoResolver());
        if (!options.Converters.OfType<JsonStringEnumConverter>().Any())
        {
            options.Converters.Add(new JsonStringEnumConverter());
        }
        if (!options.Converters.OfType<NullForNonFiniteConverter>().Any())
        {
            options.Converters.Add(new NullForNonFiniteConverter());
        }
        return options;
    }

    /// <summary>Writes NaN and ±Infinity as null; reads null as NaN.</summary>
    private sealed class NullForNonFiniteConverter : JsonConverter<double>
    {
        public override bool HandleNull => true;

        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}

/// <summary>Source-generated metadata for the hot answer types (the rest falls back to reflection).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(Errors.ValidationErrorBody))]
[JsonSerializable(typeof(Errors.DomainErrorBody))]
[JsonSerializable(typeof(Errors.MessageErrorBody))]
public sealed partial class SidsJsonContext : JsonSerializerContext;
