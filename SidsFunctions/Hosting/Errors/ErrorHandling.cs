using System.Text.Json;
using SidsModels.Common;

namespace SidsFunctions.Hosting.Errors;

/// <summary>
/// The one place where failures become HTTP answers: request validation → 422 (or 413) with the fields,
/// a model's <see cref="InvalidInputException"/> → 422/413/503 with its message, a client that went
/// away → no answer, anything else → a logged 500 whose body never carries a stack trace or a path.
/// </summary>
public sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (RequestValidationException e)
        {
            await WriteAsync(context, e.StatusCode, new ValidationErrorBody(e.Errors));
        }
        catch (InvalidInputException e)
        {
            var status = e.Kind switch
            {
                InputErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
                InputErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status422UnprocessableEntity,
            };
            await WriteAsync(context, status, DomainErrorBody.From(e, HttpMethods.IsGet(context.Request.Method) ? "query" : "body"));
        }
        catch (OverloadedException e)
        {
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, new MessageErrorBody(e.Message), e.RetryAfterSeconds);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own limits (body size, malformed framing): the status it chose, a JSON body.
            await WriteAsync(context, e.StatusCode, new MessageErrorBody(e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "Request body too large" : "Bad request"));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            logger.LogInformation("{Method} {Path}: the client went away; computation stopped", context.Request.Method, context.Request.Path);
            context.Response.StatusCode = 499; // nginx's "client closed request": nobody reads it, the logs do
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            await WriteAsync(context, StatusCodes.Status500InternalServerError, new MessageErrorBody("Internal Server Error"));
        }
    }

    public static async Task WriteAsync<T>(HttpContext context, int status, T body, int? retryAfterSeconds = null)
    {
        if (context.Response.HasStarted)
        {
            return;
        }
        context.Response.Clear();
        context.Response.StatusCode = status;
        if (retryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, SidsJson.Options, context.RequestAborted);
    }

    /// <summary>Bodies for the answers routing gives without one (404, 405), as Starlette words them.</summary>
    public static Task WriteStatusBodyAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var message = status switch
        {
            StatusCodes.Status404NotFound => "Not Found",
            StatusCodes.Status405MethodNotAllowed => "Method Not Allowed",
            StatusCodes.Status413PayloadTooLarge => "Request body too large",
            StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
            _ => ReasonPhrase(status),
        };
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new MessageErrorBody(message), SidsJson.Options, context.RequestAborted);
    }

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
}
