using System.Buffers;
using System.Globalization;
using System.Text.Json;
using SidsFunctions.Hosting.Errors;

namespace SidsFunctions.Hosting.Requests;

/// <summary>
/// Turns a JSON body or a query string into a request record, or a <see cref="RequestValidationException"/>
/// listing every field at fault as FastAPI does (<c>loc</c>, <c>msg</c>, <c>type</c>). Accepts what the
/// Python backend's pydantic models accepted from the platform frontend (numbers for text fields, numeric
/// text for numbers); refuses unknown fields, out-of-range numbers, oversized strings and lists, and
/// values outside an enum, naming the allowed ones.
/// </summary>
public static class RequestBinder
{
    /// <summary>Reads, parses and binds the request body; oversized bodies are a 413.</summary>
    public static async Task<T> ReadBodyAsync<T>(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        using var document = await ReadJsonAsync(request, maxBytes, cancellationToken);
        return Bind<T>(document.RootElement, "body");
    }

    public static async Task<JsonDocument> ReadJsonAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }
        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and < int.MaxValue ? (int)request.ContentLength.Value : 4096);
        while (true)
        {
            var memory = buffer.GetMemory(16384);
            var read = await request.Body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                break;
            }
            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                throw TooLarge(maxBytes);
            }
        }
        if (buffer.WrittenCount == 0)
        {
            throw new RequestValidationException([new FieldError(["body"], "field required", "value_error.missing")]);
        }
        try
        {
            return JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new RequestValidationException([new FieldError(["body"], $"Invalid JSON: {JsonProblem(e)}", "value_error.jsondecode")]);
        }
    }

    private static RequestValidationException TooLarge(long maxBytes) =>
        new([new FieldError(["body"], $"request body is larger than the {maxBytes} bytes allowed", "value_error.body.too_large")],
            StatusCodes.Status413PayloadTooLarge);

    // The parser's message names the line and byte; the type name of the exception adds nothing.
    private static string JsonProblem(JsonException e) =>
        e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd(' ', '.')
        + (e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "");

    /// <summary>Binds a JSON object; <paramref name="location"/> starts each error's <c>loc</c> ("body").</summary>
    public static T Bind<T>(JsonElement element, string location = "body")
    {
        var shape = RequestShape.Of<T>();
        var errors = new List<FieldError>();
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new RequestValidationException([new FieldError([location], "value is not a valid dict", "type_error.dict")]);
        }
        var present = new JsonElement?[shape.Fields.Count];
        foreach (var property in element.EnumerateObject())
        {
            if (shape.ByName.TryGetValue(property.Name, out var field))
            {
                present[field.Position] = property.Value;
            }
            else
            {
                errors.Add(new FieldError([location, Truncate(property.Name)], "extra fields not permitted", "value_error.extra"));
            }
        }
        var arguments = new object?[shape.Fields.Count];
        foreach (var field in shape.Fields)
        {
            var value = present[field.Position];
            arguments[field.Position] = value is null || value.Value.ValueKind == JsonValueKind.Null
                ? Absent(field, location, value is not null, errors)
                : Convert(field, value.Value, [location, field.Name], errors);
        }
        return Finish<T>(shape, arguments, present.Select(p => p is not null && p.Value.ValueKind != JsonValueKind.Null).ToArray(), location, errors);
    }

    /// <summary>Binds query-string parameters (GET endpoints); unknown parameters are ignored, as FastAPI does.</summary>
    public static T BindQuery<T>(IQueryCollection query)
    {
        var shape = RequestShape.Of<T>();
        var errors = new List<FieldError>();
        var arguments = new object?[shape.Fields.Count];
        var present = new bool[shape.Fields.Count];
        foreach (var field in shape.Fields)
        {
            if (query.TryGetValue(field.Name, out var values) && values.Count > 0)
            {
                present[field.Position] = true;
                using var text = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(values[^1] ?? ""));
                arguments[field.Position] = Convert(field, text.RootElement, ["query", field.Name], errors);
            }
            else
            {
                arguments[field.Position] = Absent(field, "query", false, errors);
            }
        }
        return Finish<T>(shape, arguments, present, "query", errors);
    }

    private static T Finish<T>(RequestShape shape, object?[] arguments, bool[] present, string location, List<FieldError> errors)
    {
        foreach (var field in shape.Fields)
        {
            if (present[field.Position] || field.RequiredIf.Count == 0)
            {
                continue;
            }
            foreach (var condition in field.RequiredIf)
            {
                if (shape.ByName.TryGetValue(condition.Field, out var other) && WireValue(other, arguments[other.Position]) == condition.Value)
                {
                    errors.Add(new FieldError([location, field.Name], $"field required when {condition.Field} is {condition.Value}", "value_error.missing"));
                    break;
                }
            }
        }
        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }
        return (T)shape.Create(arguments);
    }

    private static string? WireValue(FieldSpec field, object? value) => value switch
    {
        null => null,
        Enum e => field.Enum!.NameOf(e),
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static object? Absent(FieldSpec field, string location, bool wasNull, List<FieldError> errors)
    {
        if (field.Required)
        {
            errors.Add(wasNull
                ? new FieldError([location, field.Name], "none is not an allowed value", "type_error.none.not_allowed")
                : new FieldError([location, field.Name], "field required", "value_error.missing"));
        }
        return field.Default;
    }

    private static object? Convert(FieldSpec field, JsonElement value, string[] loc, List<FieldError> errors)
    {
        switch (field.Kind)
        {
            case FieldKind.String:
                return ReadString(field, value, loc, errors);
            case FieldKind.Integer:
                return ReadInteger(field, value, loc, errors);
            case FieldKind.Number:
                return ReadNumber(field, value, loc, errors);
            case FieldKind.Boolean:
                if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    return value.GetBoolean();
                }
                if (value.ValueKind == JsonValueKind.String && bool.TryParse(value.GetString(), out var parsed))
                {
                    return parsed;
                }
                errors.Add(new FieldError(loc, "value could not be parsed to a boolean", "type_error.bool"));
                return null;
            case FieldKind.Enum:
                var values = field.Enum!;
                if (value.ValueKind == JsonValueKind.String && values.TryParse(value.GetString()!, out var member))
                {
                    return member;
                }
                errors.Add(new FieldError(loc, $"Invalid value for the field {field.Name}. Supported values: {values.Listing()}", "type_error.enum"));
                return null;
            case FieldKind.Json:
                return value.Clone();
            default:
                return ReadList(field, value, loc, errors);
        }
    }

    private static string? ReadString(FieldSpec field, JsonElement value, string[] loc, List<FieldError> errors)
    {
        string text;
        if (value.ValueKind == JsonValueKind.String)
        {
            text = value.GetString()!;
        }
        else if (value.ValueKind == JsonValueKind.Number)
        {
            text = value.GetRawText(); // pydantic turned numbers into text: target_year 2001 is "2001"
        }
        else
        {
            errors.Add(new FieldError(loc, "str type expected", "type_error.str"));
            return null;
        }
        var max = field.MaxLength ?? RequestShape.DefaultMaxStringLength;
        if (text.Length > max)
        {
            errors.Add(new FieldError(loc, $"ensure this value has at most {max} characters", "value_error.any_str.max_length"));
            return null;
        }
        return text;
    }

    private static object? ReadInteger(FieldSpec field, JsonElement value, string[] loc, List<FieldError> errors)
    {
        if (!TryReadDouble(value, NumberStyles.Integer, out var number) || !double.IsFinite(number) || Math.Floor(number) != number)
        {
            errors.Add(new FieldError(loc, "value is not a valid integer", "type_error.integer"));
            return null;
        }
        if (!InRange(field, number, loc, errors))
        {
            return null;
        }
        if (number is < int.MinValue or > int.MaxValue)
        {
            errors.Add(new FieldError(loc, "value is not a valid integer", "type_error.integer"));
            return null;
        }
        return (int)number;
    }

    private static object? ReadNumber(FieldSpec field, JsonElement value, string[] loc, List<FieldError> errors)
    {
        if (!TryReadDouble(value, NumberStyles.Float, out var number))
        {
            errors.Add(new FieldError(loc, "value is not a valid float", "type_error.float"));
            return null;
        }
        if (!double.IsFinite(number))
        {
            errors.Add(new FieldError(loc, "value is not a finite number", "value_error.number.not_finite"));
            return null;
        }
        return InRange(field, number, loc, errors) ? number : null;
    }

    // JSON numbers, and numbers written as text (pydantic accepted "10" for an integer field).
    private static bool TryReadDouble(JsonElement value, NumberStyles styles, out double number)
    {
        number = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDouble(out number),
            JsonValueKind.String => double.TryParse(value.GetString(), styles, CultureInfo.InvariantCulture, out number),
            _ => false,
        };
    }

    private static bool InRange(FieldSpec field, double number, string[] loc, List<FieldError> errors)
    {
        if (field.Minimum is { } min && number < min)
        {
            errors.Add(new FieldError(loc, $"ensure this value is greater than or equal to {Format(min)}", "value_error.number.not_ge"));
            return false;
        }
        if (field.Maximum is { } max && number > max)
        {
            errors.Add(new FieldError(loc, $"ensure this value is less than or equal to {Format(max)}", "value_error.number.not_le"));
            return false;
        }
        return true;
    }

    private static object? ReadList(FieldSpec field, JsonElement value, string[] loc, List<FieldError> errors)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new FieldError(loc, "value is not a valid list", "type_error.list"));
            return null;
        }
        var count = value.GetArrayLength();
        var max = field.MaxLength ?? RequestShape.DefaultMaxItems;
        if (count > max)
        {
            errors.Add(new FieldError(loc, $"ensure this value has at most {max} items", "value_error.list.max_items"));
            return null;
        }
        var itemField = new FieldSpec
        {
            Name = field.Name,
            Position = field.Position,
            Kind = field.Kind switch
            {
                FieldKind.StringList => FieldKind.String,
                FieldKind.IntegerList => FieldKind.Integer,
                _ => FieldKind.Number,
            },
            Required = true,
            Minimum = field.Minimum,
            Maximum = field.Maximum,
        };
        var before = errors.Count;
        var items = new object?[count];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            items[i] = item.ValueKind == JsonValueKind.Null
                ? AddNull(errors, [.. loc, i.ToString(CultureInfo.InvariantCulture)])
                : Convert(itemField, item, [.. loc, i.ToString(CultureInfo.InvariantCulture)], errors);
            i++;
        }
        if (errors.Count > before)
        {
            return null;
        }
        return field.Kind switch
        {
            FieldKind.StringList => items.Cast<string>().ToArray(),
            FieldKind.IntegerList => items.Cast<int>().ToArray(),
            _ => (object)items.Cast<double>().ToArray(),
        };
    }

    private static object? AddNull(List<FieldError> errors, string[] loc)
    {
        errors.Add(new FieldError(loc, "none is not an allowed value", "type_error.none.not_allowed"));
        return null;
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Truncate(string name) => name.Length <= 100 ? name : name[..100] + "…";
}
