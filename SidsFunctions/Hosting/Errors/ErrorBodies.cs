using System.Text.Json.Serialization;

namespace SidsFunctions.Hosting.Errors;

/// <summary>One problem with one field, as FastAPI reports it: where (<c>["body", "estimators"]</c>), what, and a type code.</summary>
public sealed record FieldError(
    [property: JsonPropertyName("loc")] IReadOnlyList<string> Loc,
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("type")] string Type);

/// <summary>422 for a request that does not fit its schema: <c>{"detail":[{"loc":[...],"msg":"...","type":"..."}]}</c>.</summary>
public sealed record ValidationErrorBody([property: JsonPropertyName("detail")] IReadOnlyList<FieldError> Detail);

/// <summary>
/// The detail of a domain error, as the Python backend's <c>Error</c> enum held it, and (which it did not say)
/// the field at fault as validation errors name it (<c>["body", "manual_predictors"]</c>), when there is one.
/// </summary>
public sealed record DomainError(
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("loc"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Loc = null);

/// <summary>422 (or 413, 503) for a well-formed request the data cannot serve: <c>{"detail":{"msg":"...","type":"value_error","loc":["body","target"]}}</c>.</summary>
public sealed record DomainErrorBody([property: JsonPropertyName("detail")] DomainError Detail)
{
    /// <summary>A model's refusal; <paramref name="location"/> is where the request's fields were ("body", "query").</summary>
    public static DomainErrorBody From(SidsModels.Common.InvalidInputException e, string location) =>
        new(new DomainError(e.Message, "value_error", e.Field is null ? null : [location, e.Field]));
}

/// <summary>Errors without a field: <c>{"detail":"Not Found"}</c>, as FastAPI/Starlette answer them.</summary>
public sealed record MessageErrorBody([property: JsonPropertyName("detail")] string Detail);

/// <summary>Thrown by request binding: the fields at fault, all of them, in declaration order.</summary>
public sealed class RequestValidationException(IReadOnlyList<FieldError> errors, int statusCode = StatusCodes.Status422UnprocessableEntity)
    : Exception(string.Join("; ", errors.Select(e => $"{string.Join('.', e.Loc)}: {e.Msg}")))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;

    public int StatusCode { get; } = statusCode;
}
