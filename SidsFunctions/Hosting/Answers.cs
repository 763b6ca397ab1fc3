using Microsoft.AspNetCore.Mvc;

namespace SidsFunctions.Hosting;

/// <summary>
/// What the functions return: an ASP.NET Core <see cref="IResult"/> (written with the app's one JSON setup)
/// as the <see cref="IActionResult"/> the worker's HTTP integration executes.
/// </summary>
public sealed class Answer(IResult result) : IActionResult
{
    public IResult Result { get; } = result;

    public Task ExecuteResultAsync(ActionContext context) => Result.ExecuteAsync(context.HttpContext);

    /// <summary>200 with <paramref name="value"/> as JSON.</summary>
    public static Answer Ok<T>(T value) => new(TypedResults.Json(value, SidsJson.Options));

    public static Answer From(IResult result) => new(result);

    /// <summary>An error body with its status (and Retry-After, Allow when given).</summary>
    public static Answer Error<T>(int status, T body, int? retryAfterSeconds = null, string? allow = null) =>
        new(new ErrorResult<T>(status, body, retryAfterSeconds, allow));

    private sealed class ErrorResult<T>(int status, T body, int? retryAfterSeconds, string? allow) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            if (allow is not null)
            {
                context.Response.Headers.Allow = allow;
            }
            return Errors.ErrorHandlingMiddleware.WriteAsync(context, status, body, retryAfterSeconds);
        }
    }
}
