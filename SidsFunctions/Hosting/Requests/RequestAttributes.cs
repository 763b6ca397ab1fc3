namespace SidsFunctions.Hosting.Requests;

/// <summary>
/// The field is required when another field has one of the given values (pydantic's <c>required_if</c> of
/// the Python backend): <c>[RequiredIf("scheme", "MANUAL")]</c>. Repeat the attribute for "or".
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = true)]
public sealed class RequiredIfAttribute(string field, string value) : Attribute
{
    public string Field { get; } = field;

    public string Value { get; } = value;
}

/// <summary>The model endpoint (relative to the model's prefix) that lists the allowed values of this field.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ReqEndpointAttribute(string endpoint) : Attribute
{
    public string Endpoint { get; } = endpoint;
}

/// <summary>A request or answer type that carries an example for the OpenAPI document.</summary>
public interface IHasExample<out T>
{
    static abstract T Example { get; }
}
