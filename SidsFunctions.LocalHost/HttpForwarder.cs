using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SidsFunctions.LocalHost;

/// <summary>The outcome of forwarding one request: the status the client received, or why it got none.</summary>
internal readonly record struct ForwardResult(int Status, string? Failure);

/// <summary>
/// Forwards an HTTP request to the worker's own Kestrel (its HttpUri) as the Functions host does for ASP.NET Core
/// integration: same method, path, query, headers and Host, plus <c>x-ms-invocation-id</c>; bodies stream both
/// ways without being buffered; the client going away cancels the forwarded request, so the worker's
/// <c>HttpContext.RequestAborted</c> fires. One pooled handler serves every request.
/// </summary>
internal sealed class HttpForwarder : IDisposable
{
    public const string InvocationIdHeader = "x-ms-invocation-id";

    // Hop-by-hop headers (RFC 9110 §7.6.1) and those the client connection owns.
    private static readonly HashSet<string> SkippedRequestHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Expect", "Host", "Content-Length", InvocationIdHeader,
    };

    private static readonly HashSet<string> SkippedResponseHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Date",
    };

    private readonly HttpMessageInvoker _invoker;
    private readonly string _workerBase;
    private readonly CancellationToken _workerGone;

    /// <param name="workerGone">Cancelled when the worker has died: requests then fail with 503, not 502.</param>
    public HttpForwarder(Uri workerUri, CancellationToken workerGone)
    {
        _workerGone = workerGone;
        _workerBase = workerUri.GetLeftPart(UriPartial.Authority);
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            // No trace headers of the host's own: the worker sees the client's.
            ActivityHeadersPropagator = null,
        }, disposeHandler: true);
    }

    public Uri WorkerBase => new(_workerBase);

    /// <summary>Forwards the request and copies the response back; never throws for a worker or client failure.</summary>
    /// <param name="invocation">The invocation's gRPC result: when the worker answers a bare 200 with an empty body (what it sends
    /// when the function threw), the client's status waits briefly for it, so a failed function gets a 500, not a 200.</param>
    public async Task<ForwardResult> ForwardAsync(HttpContext context, string invocationId, Task<bool> invocation, CancellationToken cancel)
    {
        var request = context.Request;
        using var outgoing = new HttpRequestMessage(new HttpMethod(request.Method),
            _workerBase + request.PathBase.ToUriComponent() + request.Path.ToUriComponent() + request.QueryString.ToUriComponent())
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };

        bool hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0;
        if (hasBody)
        {
            outgoing.Content = new StreamContent(request.Body, 16 * 1024);
            if (request.ContentLength is long length) outgoing.Content.Headers.ContentLength = length;
        }

        foreach (var header in request.Headers)
        {
            if (SkippedRequestHeaders.Contains(header.Key)) continue;
            if (!outgoing.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value))
                outgoing.Content?.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value);
        }
        outgoing.Headers.Host = request.Host.HasValue ? request.Host.Value : null;
        outgoing.Headers.TryAddWithoutValidation(InvocationIdHeader, invocationId);
        // The worker sees the client's address, as behind Azure's front end.
        if (context.Connection.RemoteIpAddress is { } client)
        {
            string forwardedFor = request.Headers["X-Forwarded-For"].ToString();
            outgoing.Headers.Remove("X-Forwarded-For");
            outgoing.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor.Length > 0 ? forwardedFor + ", " + client : client.ToString());
        }
        if (!request.Headers.ContainsKey("X-Forwarded-Proto")) outgoing.Headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);

        HttpResponseMessage response;
        try
        {
            response = await _invoker.SendAsync(outgoing, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return new ForwardResult(499, "client went away");
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            // A dying worker resets connections a moment before its exit is observed.
            if (!_workerGone.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _workerGone).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
            return _workerGone.IsCancellationRequested
                ? await FailAsync(context, StatusCodes.Status503ServiceUnavailable, "The worker process exited.").ConfigureAwait(false)
                : await FailAsync(context, StatusCodes.Status502BadGateway, $"The worker did not answer: {ex.Message}").ConfigureAwait(false);
        }

        using (response)
        {
            var target = context.Response;
            if (response.StatusCode == HttpStatusCode.OK && response.Content.Headers.ContentLength == 0 && await FailedAsync(invocation).ConfigureAwait(false))
            {
                target.StatusCode = StatusCodes.Status500InternalServerError;
                return new ForwardResult(500, "the function failed (see the worker's log above)");
            }
            target.StatusCode = (int)response.StatusCode;
            CopyHeaders(response.Headers, target.Headers);
            CopyHeaders(response.Content.Headers, target.Headers);
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
                await body.CopyToAsync(target.Body, cancel).ConfigureAwait(false);
                return new ForwardResult(target.StatusCode, null);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
            {
                if (context.RequestAborted.IsCancellationRequested) return new ForwardResult(499, "client went away");
                // Headers are out: the only honest signal left is a broken connection.
                context.Abort();
                return new ForwardResult(target.StatusCode, $"the response body broke off: {ex.Message}");
            }
        }
    }

    private static async Task<bool> FailedAsync(Task<bool> invocation)
    {
        try
        {
            // The response normally follows the HTTP answer within milliseconds; never hold a client for long.
            return !await invocation.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Answers with an error status and a JSON body, if the response has not started.</summary>
    public static async Task<ForwardResult> FailAsync(HttpContext context, int status, string message)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return new ForwardResult(status, message);
        }
        context.Response.Clear();
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = "5";
        try
        {
            await context.Response.WriteAsJsonAsync(new { error = message }, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
        }
        return new ForwardResult(status, message);
    }

    private static void CopyHeaders(System.Net.Http.Headers.HttpHeaders from, IHeaderDictionary to)
    {
        foreach (var header in from.NonValidated)
        {
            if (SkippedResponseHeaders.Contains(header.Key)) continue;
            to[header.Key] = header.Value.Count == 1 ? header.Value.ToString() : header.Value.ToArray();
        }
    }

    public void Dispose() => _invoker.Dispose();
}
