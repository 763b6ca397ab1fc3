namespace SidsFunctions.Hosting;

/// <summary>Where a request record comes from.</summary>
public enum RequestSource
{
    Body,
    Query,
}

/// <summary>
/// A class of functions: its OpenAPI tag, the model it belongs to (null: the platform's, always served) and
/// the model's path prefix (the <c>req_endpoint</c> paths of /params are relative to it).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class FunctionGroupAttribute(string tag) : Attribute
{
    public string Tag { get; } = tag;

    public string? Model { get; init; }

    public string Prefix { get; init; } = "";
}

/// <summary>The record a function binds (for /params and the OpenAPI document); implies the 422 answer of a binding error.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BindsAttribute(Type requestType, RequestSource source) : Attribute
{
    public Type RequestType { get; } = requestType;

    public RequestSource Source { get; } = source;
}

/// <summary>
/// The 200 answer: its type and an example, the static property <see cref="Example"/> of the function class
/// (or the type's own <c>IHasExample</c> example when not named).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AnswersAttribute(Type answerType) : Attribute
{
    public Type AnswerType { get; } = answerType;

    public string? Example { get; init; }
}

/// <summary>Another answer the function gives (a domain error's 422, a 503), with its body type.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class AlsoAnswersAttribute(int status, Type bodyType) : Attribute
{
    public int Status { get; } = status;

    public Type BodyType { get; } = bodyType;
}

/// <summary>The model's main function: /params lists its inputs under this label.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MainEndpointAttribute(string label) : Attribute
{
    public string Label { get; } = label;
}

/// <summary>Left out of the OpenAPI document (the document itself, Swagger UI, the fallback).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class UndocumentedAttribute : Attribute;
