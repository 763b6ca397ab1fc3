using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using SidsModels.Common;

namespace SidsFunctions.Hosting.Errors;

/// <summary>
/// The one place where failures become HTTP answers (worker middleware around every HTTP function): request
/// validation → 422 (or 413) with the fields, a model's <see cref="InvalidInputException"/> → 422/413/503
/// with its message, a full compute queue → 503 with Retry-After, a client that went away → no answer,
/// anything else → a 500 logged with its stack, whose body never carries a stack trace or a path. The
/// function's <see cref="IActionResult"/> is executed here, inside the mapping, so the invocation always
/// completes with the answer the client gets.
/// </summary>
public sealed class ErrorHandlingMiddleware(ILogger<ErrorHandlingMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext()!;
        try
        {
            await next(context);
            if (context.GetInvocationResult() is { Value: IActionResult action } result)
            {
                result.Value = null;
                await action.ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor()));
            }
        }
        catch (Exception e)
        {
            await AnswerFailureAsync(http, e, context.CancellationToken.IsCancellationRequested);
        }
    }

    /// <summary>The answer to a failed invocation (<paramref name="invocationCancelled"/>: the host cancelled it).</summary>
    public async Task AnswerFailureAsync(HttpContext http, Exception failure, bool invocationCancelled = false)
    {
        switch (Unwrap(failure))
        {
            case RequestValidationException validation:
                await WriteAsync(http, validation.StatusCode, new ValidationErrorBody(validation.Errors));
                break;
            case InvalidInputException invalid:
                var status = invalid.Kind switch
                {
                    InputErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
                    InputErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
                    _ => StatusCodes.Status422UnprocessableEntity,
                };
                await WriteAsync(http, status, DomainErrorBody.From(invalid, HttpMethods.IsGet(http.Request.Method) ? "query" : "body"));
                break;
            case OverloadedException overloaded:
                await WriteAsync(http, StatusCodes.Status503ServiceUnavailable, new MessageErrorBody(overloaded.Message), overloaded.RetryAfterSeconds);
                break;
            case BadHttpRequestException bad:
                // Kestrel's own limits (body size, malformed framing): the status it chose, a JSON body.
                await WriteAsync(http, bad.StatusCode, new MessageErrorBody(bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? "Request body too large" : "Bad request"));
                break;
            case OperationCanceledException when http.RequestAborted.IsCancellationRequested || invocationCancelled:
                logger.LogInformation("{Method} {Path}: the client went away; computation stopped", http.Request.Method, http.Request.Path);
                http.Response.StatusCode = 499; // nginx's "client closed request": nobody reads it, the logs do
                break;
            case var unexpected:
                logger.LogError(unexpected, "{Method} {Path} failed", http.Request.Method, http.Request.Path);
                await WriteAsync(http, StatusCodes.Status500InternalServerError, new MessageErrorBody("Internal Server Error"));
                break;
        }
    }

    // The worker invokes functions through reflection-free generated code, but a constructor failing in
    // activation (a dataset that did not load) arrives wrapped.
    private static Exception Unwrap(Exception e) =>
        e is System.Reflection.TargetInvocationException or AggregateException && e.InnerException is { } inner ? Unwrap(inner) : e;

    public static async Task WriteAsync<T>(HttpContext context, int status, T body, int? retryAfterSeconds = null)
    {
        if (context.Response.HasStarted)
        {
            return;
        }
        // Headers set before the failure (CORS, security headers) stay; a length set for another body does not.
        context.Response.Headers.ContentLength = null;
        context.Response.StatusCode = status;
        if (retryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, SidsJson.Options, context.RequestAborted);
    }

    /// <summary>The bodies of answers without a field (404, 405), as Starlette words them.</summary>
    public static string StatusMessage(int status) => status switch
    {
        StatusCodes.Status404NotFound => "Not Found",
        StatusCodes.Status405MethodNotAllowed => "Method Not Allowed",
        StatusCodes.Status413PayloadTooLarge => "Request body too large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error",
    };
}
