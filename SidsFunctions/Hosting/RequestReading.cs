using SidsFunctions.Hosting.Requests;

namespace SidsFunctions.Hosting;

/// <summary>How every function reads its request record.</summary>
public static class RequestReading
{
    /// <summary>Binds the JSON body to <typeparamref name="T"/> with the app's limits, or throws a validation error.</summary>
    public static Task<T> ReadBodyAsync<T>(this HttpContext context) =>
        RequestBinder.ReadBodyAsync<T>(context.Request, context.RequestServices.GetRequiredService<RequestLimits>().MaxBodyBytes,
            context.RequestAborted);

    /// <summary>Binds the query string to <typeparamref name="T"/>, or throws a validation error.</summary>
    public static T ReadQuery<T>(this HttpContext context) => RequestBinder.BindQuery<T>(context.Request.Query);
}

/// <summary>Request size limits, from configuration.</summary>
public sealed record RequestLimits(long MaxBodyBytes)
{
    public const long DefaultMaxBodyBytes = 10 * 1024 * 1024;

    /// <summary>The Functions host's own request body limit (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT's default).</summary>
    public const long HostMaxBodyBytes = 100 * 1024 * 1024;

    public static RequestLimits FromConfiguration(IConfiguration configuration) =>
        new(configuration.GetValue(SettingNames.MaxRequestBodyBytes, DefaultMaxBodyBytes));
}
