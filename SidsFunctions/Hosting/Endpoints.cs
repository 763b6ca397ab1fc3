using SidsFunctions.Hosting.Errors;
using SidsFunctions.Hosting.Requests;

namespace SidsFunctions.Hosting;

/// <summary>Where a request record comes from.</summary>
public enum RequestSource
{
    Body,
    Query,
}

/// <summary>Endpoint metadata: the record an endpoint binds (for /params and the OpenAPI document).</summary>
public sealed record SidsRequestMetadata(Type RequestType, RequestSource Source);

/// <summary>Endpoint metadata: an example of the 200 answer, for the OpenAPI document.</summary>
public sealed record ResponseExampleMetadata(object Example);

/// <summary>Endpoint metadata: this is a model's main endpoint, whose inputs /params lists.</summary>
public sealed record MainEndpointMetadata(string Model, string Label, string Prefix);

/// <summary>Conventions every function's endpoints share.</summary>
public static class Endpoints
{
    /// <summary>Binds the JSON body to <typeparamref name="T"/> with the app's limits, or throws a validation error.</summary>
    public static Task<T> ReadBodyAsync<T>(this HttpContext context) =>
        RequestBinder.ReadBodyAsync<T>(context.Request, context.RequestServices.GetRequiredService<RequestLimits>().MaxBodyBytes,
            context.RequestAborted);

    /// <summary>Binds the query string to <typeparamref name="T"/>, or throws a validation error.</summary>
    public static T ReadQuery<T>(this HttpContext context) => RequestBinder.BindQuery<T>(context.Request.Query);

    /// <summary>Declares a JSON body of type <typeparamref name="T"/> and the 422 answer for a body that does not fit it.</summary>
    public static RouteHandlerBuilder WithBody<T>(this RouteHandlerBuilder builder) where T : notnull => builder
        .Accepts<T>("application/json")
        .WithMetadata(new SidsRequestMetadata(typeof(T), RequestSource.Body))
        .Produces<ValidationErrorBody>(StatusCodes.Status422UnprocessableEntity, "application/json");

    /// <summary>Declares query parameters bound to <typeparamref name="T"/> and the 422 answer for values that do not fit.</summary>
    public static RouteHandlerBuilder WithQuery<T>(this RouteHandlerBuilder builder) => builder
        .WithMetadata(new SidsRequestMetadata(typeof(T), RequestSource.Query))
        .Produces<ValidationErrorBody>(StatusCodes.Status422UnprocessableEntity, "application/json");

    /// <summary>Marks the model's main endpoint: /params lists its inputs.</summary>
    public static RouteHandlerBuilder AsMainEndpoint(this RouteHandlerBuilder builder, string model, string label, string prefix) =>
        builder.WithMetadata(new MainEndpointMetadata(model, label, prefix));

    /// <summary>Declares a 200 answer of type <typeparamref name="T"/> with an example for the OpenAPI document.</summary>
    public static RouteHandlerBuilder Answers<T>(this RouteHandlerBuilder builder, T example) where T : notnull => builder
        .Produces<T>(StatusCodes.Status200OK, "application/json")
        .WithMetadata(new ResponseExampleMetadata(example));

    /// <summary>Declares the 422 answer of a domain error (unknown target, dataset, country…).</summary>
    public static RouteHandlerBuilder ProducesDomainError(this RouteHandlerBuilder builder) =>
        builder.Produces<DomainErrorBody>(StatusCodes.Status422UnprocessableEntity, "application/json");
}

/// <summary>Request size limits, from configuration.</summary>
public sealed record RequestLimits(long MaxBodyBytes)
{
    public const long DefaultMaxBodyBytes = 10 * 1024 * 1024;

    public static RequestLimits FromConfiguration(IConfiguration configuration) =>
        new(configuration.GetValue(SettingNames.MaxRequestBodyBytes, DefaultMaxBodyBytes));
}
