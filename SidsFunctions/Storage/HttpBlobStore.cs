using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace SidsFunctions.Storage;

/// <summary>
/// Azure Blob Storage over the REST API, on Azure.Core's pipeline (retries with exponential back-off,
/// request ids, logging, authorisation): Shared Key or SAS from a connection string, or a bearer token
/// (managed identity / developer credentials) for an account URL. Works against Azurite as against Azure.
/// </summary>
public sealed class HttpBlobStore : IBlobStore
{
    /// <summary>The REST API version sent with every request: current, and accepted by Azurite 3.34 and later.</summary>
    public const string ServiceVersion = "2025-05-05";

    /// <summary>The OAuth scope of Azure Storage.</summary>
    public const string StorageScope = "https://storage.azure.com/.default";

    private readonly HttpPipeline pipeline;
    private readonly string endpoint;
    private readonly string? sharedAccessSignature;

    public HttpBlobStore(Uri blobEndpoint, HttpPipelinePolicy? authorization, string? sharedAccessSignature = null,
        BlobPipelineOptions? options = null, ILogger? logger = null)
    {
        Endpoint = new Uri(blobEndpoint.AbsoluteUri.TrimEnd('/'));
        endpoint = Endpoint.AbsoluteUri.TrimEnd('/');
        this.sharedAccessSignature = sharedAccessSignature;
        var perRetry = new List<HttpPipelinePolicy>();
        if (logger is not null)
        {
            perRetry.Add(new BlobRequestLogPolicy(logger));
        }
        if (authorization is not null)
        {
            perRetry.Add(authorization);
        }
        pipeline = HttpPipelineBuilder.Build(options ?? new BlobPipelineOptions(), [], perRetry.ToArray(), new ResponseClassifier());
    }

    /// <summary>A store for a connection string (Shared Key, or SAS).</summary>
    public static HttpBlobStore FromConnectionString(string connectionString, BlobPipelineOptions? options = null, ILogger? logger = null)
    {
        var connection = StorageConnection.Parse(connectionString);
        var policy = connection.AccountKey is not null ? new SharedKeyPolicy(connection.AccountName!, connection.AccountKey) : null;
        return new HttpBlobStore(connection.BlobEndpoint, policy, policy is null ? connection.SharedAccessSignature : null, options, logger);
    }

    /// <summary>A store for an account URL with a bearer token from <paramref name="credential"/> (https only).</summary>
    public static HttpBlobStore FromAccountUrl(Uri accountUrl, TokenCredential credential, BlobPipelineOptions? options = null, ILogger? logger = null)
    {
        if (accountUrl.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"Token authorisation needs an https account URL, not {accountUrl.Scheme}.", nameof(accountUrl));
        }
        return new HttpBlobStore(accountUrl, new BearerTokenAuthenticationPolicy(credential, StorageScope), null, options, logger);
    }

    /// <summary>
    /// The credential for an account URL: the user-assigned managed identity <paramref name="clientId"/>
    /// when given, else DefaultAzureCredential (managed identity in Azure, developer sign-ins locally).
    /// </summary>
    public static TokenCredential Credential(string? clientId) => string.IsNullOrWhiteSpace(clientId)
        ? new DefaultAzureCredential()
        : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId.Trim()));

    /// <summary>The blob service endpoint (no trailing slash).</summary>
    public Uri Endpoint { get; }

    /// <summary>Blobs asked for per listing page (the service's most is 5000); continuation markers fetch the rest.</summary>
    public int ListPageSize { get; init; } = 5000;

    public string Description => $"Azure Blob Storage {endpoint}";

    public async Task<bool> CreateContainerIfNotExistsAsync(string container, CancellationToken cancellationToken = default)
    {
        using var message = Message(RequestMethod.Put, container, null, "restype=container");
        message.Request.Content = RequestContent.Create(ReadOnlyMemory<byte>.Empty);
        var response = await SendAsync(message, "create container", container, null, cancellationToken);
        return response.Status switch
        {
            201 => true,
            409 when ErrorCode(response) == "ContainerAlreadyExists" => false,
            _ => throw Failure(response, "create container", container, null),
        };
    }

    public async Task<BlobDownload> GetAsync(string container, string blob, BlobConditions conditions = default, CancellationToken cancellationToken = default)
    {
        using var message = Message(RequestMethod.Get, container, blob, null);
        AddConditions(message.Request, conditions);
        var response = await SendAsync(message, "read", container, blob, cancellationToken);
        return response.Status switch
        {
            200 => new BlobDownload(BlobReadStatus.Found, response.Content.ToArray(), ETag(response), LastModified(response)),
            304 => new BlobDownload(BlobReadStatus.NotModified, null, ETag(response) ?? conditions.IfNoneMatch, null),
            404 => BlobDownload.Absent,
            412 => new BlobDownload(BlobReadStatus.ConditionNotMet, null, null, null),
            _ => throw Failure(response, "read", container, blob),
        };
    }

    public async Task<BlobUpload> PutAsync(string container, string blob, ReadOnlyMemory<byte> content, BlobConditions conditions = default,
        string? contentType = null, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var message = Message(RequestMethod.Put, container, blob, null);
            message.Request.Headers.SetValue("x-ms-blob-type", "BlockBlob");
            if (contentType is not null)
            {
                message.Request.Headers.SetValue("Content-Type", contentType);
            }
            AddConditions(message.Request, conditions);
            message.Request.Content = RequestContent.Create(content);
            var response = await SendAsync(message, "write", container, blob, cancellationToken);
            switch (response.Status)
            {
                case 201:
                    return new BlobUpload(BlobWriteStatus.Written, ETag(response));
                case 412:
                case 409 when ErrorCode(response) == "BlobAlreadyExists":
                    return new BlobUpload(BlobWriteStatus.ConditionNotMet, null);
                case 404 when attempt == 0 && ErrorCode(response) == "ContainerNotFound":
                    await CreateContainerIfNotExistsAsync(container, cancellationToken);
                    continue;
                default:
                    throw Failure(response, "write", container, blob);
            }
        }
    }

    public async Task AppendAsync(string container, string blob, ReadOnlyMemory<byte> block, CancellationToken cancellationToken = default)
    {
        if (block.Length is 0 or > IBlobStore.MaxAppendBlockBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(block), block.Length, $"An appended block holds 1 to {IBlobStore.MaxAppendBlockBytes} bytes.");
        }
        // Append; when the blob (or its container) is missing, create it and append again. Creation uses
        // If-None-Match: * so a writer that loses the race to create it never truncates the winner's blocks.
        for (var attempt = 0; ; attempt++)
        {
            using var message = Message(RequestMethod.Put, container, blob, "comp=appendblock");
            message.Request.Content = RequestContent.Create(block);
            var response = await SendAsync(message, "append to", container, blob, cancellationToken);
            if (response.Status == 201)
            {
                return;
            }
            var code = ErrorCode(response);
            if (response.Status != 404 || attempt >= 3)
            {
                throw Failure(response, "append to", container, blob);
            }
            if (code == "ContainerNotFound")
            {
                await CreateContainerIfNotExistsAsync(container, cancellationToken);
            }
            await CreateAppendBlobAsync(container, blob, cancellationToken);
        }
    }

    private async Task CreateAppendBlobAsync(string container, string blob, CancellationToken cancellationToken)
    {
        using var message = Message(RequestMethod.Put, container, blob, null);
        message.Request.Headers.SetValue("x-ms-blob-type", "AppendBlob");
        message.Request.Headers.SetValue("If-None-Match", "*");
        message.Request.Content = RequestContent.Create(ReadOnlyMemory<byte>.Empty);
        var response = await SendAsync(message, "create append blob", container, blob, cancellationToken);
        if (response.Status is not (201 or 409 or 412))
        {
            throw Failure(response, "create append blob", container, blob);
        }
    }

    public async Task<IReadOnlyList<BlobEntry>> ListAsync(string container, string prefix, CancellationToken cancellationToken = default)
    {
        var entries = new List<BlobEntry>();
        string? marker = null;
        do
        {
            var query = "restype=container&comp=list&maxresults=" + ListPageSize.ToString(CultureInfo.InvariantCulture);
            if (prefix.Length > 0)
            {
                query += "&prefix=" + Uri.EscapeDataString(prefix);
            }
            if (marker is not null)
            {
                query += "&marker=" + Uri.EscapeDataString(marker);
            }
            using var message = Message(RequestMethod.Get, container, null, query);
            var response = await SendAsync(message, "list", container, prefix, cancellationToken);
            if (response.Status == 404)
            {
                return entries;
            }
            if (response.Status != 200)
            {
                throw Failure(response, "list", container, prefix);
            }
            marker = ReadListing(response.Content.ToStream(), entries);
        }
        while (!string.IsNullOrEmpty(marker));
        return entries;
    }

    /// <summary>Adds the page's blobs to <paramref name="entries"/>; returns the continuation marker (empty at the end).</summary>
    private static string? ReadListing(Stream xml, List<BlobEntry> entries)
    {
        var root = XDocument.Load(xml).Root ?? throw new BlobStorageException("The blob listing is empty.");
        foreach (var blob in root.Element("Blobs")?.Elements("Blob") ?? [])
        {
            var properties = blob.Element("Properties");
            var length = long.TryParse(properties?.Element("Content-Length")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : 0;
            DateTimeOffset? modified = DateTimeOffset.TryParse(properties?.Element("Last-Modified")?.Value, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var m) ? m : null;
            entries.Add(new BlobEntry(blob.Element("Name")?.Value ?? "", length, modified));
        }
        return root.Element("NextMarker")?.Value;
    }

    private HttpMessage Message(RequestMethod method, string container, string? blob, string? query)
    {
        var url = new StringBuilder(endpoint).Append('/').Append(Uri.EscapeDataString(container));
        if (blob is not null)
        {
            url.Append('/').Append(EscapePath(blob));
        }
        var queryParts = new[] { query, sharedAccessSignature }.Where(q => !string.IsNullOrEmpty(q)).ToArray();
        if (queryParts.Length > 0)
        {
            url.Append('?').Append(string.Join('&', queryParts));
        }
        var message = pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(url.ToString()));
        message.Request.Headers.SetValue("x-ms-version", ServiceVersion);
        return message;
    }

    /// <summary>Escapes each segment of a blob name, keeping its '/' separators.</summary>
    private static string EscapePath(string blob) => string.Join('/', blob.Split('/').Select(Uri.EscapeDataString));

    private static void AddConditions(Request request, BlobConditions conditions)
    {
        if (conditions.IfMatch is not null)
        {
            request.Headers.SetValue("If-Match", conditions.IfMatch);
        }
        if (conditions.IfNoneMatch is not null)
        {
            request.Headers.SetValue("If-None-Match", conditions.IfNoneMatch);
        }
    }

    private async Task<Response> SendAsync(HttpMessage message, string operation, string container, string? blob, CancellationToken cancellationToken)
    {
        try
        {
            await pipeline.SendAsync(message, cancellationToken);
            return message.Response;
        }
        catch (RequestFailedException e)
        {
            throw new BlobStorageException($"Cannot {operation} {Where(container, blob)} at {endpoint}: {FirstLine(e.Message)}", e.Status, e.ErrorCode, e);
        }
        catch (AggregateException e) when (e.InnerExceptions.LastOrDefault() is RequestFailedException last)
        {
            // The retry policy's "Retry failed after N tries": the last attempt's failure says it.
            throw new BlobStorageException($"Cannot {operation} {Where(container, blob)} at {endpoint} ({e.InnerExceptions.Count} attempts): {FirstLine(last.Message)}",
                last.Status, last.ErrorCode, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BlobStorageException($"Cannot {operation} {Where(container, blob)} at {endpoint}: no answer in time", 0, null, e);
        }
    }

    private BlobStorageException Failure(Response response, string operation, string container, string? blob)
    {
        var code = ErrorCode(response);
        return new BlobStorageException(
            $"Cannot {operation} {Where(container, blob)} at {endpoint}: HTTP {response.Status} {code ?? response.ReasonPhrase}",
            response.Status, code);
    }

    private static string Where(string container, string? blob) => blob is null ? $"container '{container}'" : $"'{container}/{blob}'";

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private static string? ErrorCode(Response response) => response.Headers.TryGetValue("x-ms-error-code", out var code) ? code : null;

    private static string? ETag(Response response) => response.Headers.TryGetValue("ETag", out var etag) ? etag : null;

    private static DateTimeOffset? LastModified(Response response) =>
        response.Headers.TryGetValue("Last-Modified", out var text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;
}

/// <summary>Pipeline options of <see cref="HttpBlobStore"/>: exponential retries of transient failures (408, 429, 5xx, network), a per-try timeout.</summary>
public sealed class BlobPipelineOptions : ClientOptions
{
    public BlobPipelineOptions()
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 3;
        Retry.Delay = TimeSpan.FromMilliseconds(400);
        Retry.MaxDelay = TimeSpan.FromSeconds(5);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        Diagnostics.ApplicationId = "sids-ml";
        Diagnostics.IsLoggingContentEnabled = false;
    }
}

/// <summary>Logs each attempt to the app's log: failures and throttling as warnings, the rest at debug level.</summary>
internal sealed class BlobRequestLogPolicy(ILogger logger) : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline, async: false).AsTask().GetAwaiter().GetResult();

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline, async: true);

    private async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline, bool async)
    {
        var started = Stopwatch.GetTimestamp();
        // The path only: a SAS token in the query must not reach the log.
        var path = message.Request.Uri.Path;
        try
        {
            if (async)
            {
                await ProcessNextAsync(message, pipeline);
            }
            else
            {
                ProcessNext(message, pipeline);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !message.CancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("blob {Method} {Path} failed after {Milliseconds:F0} ms: {Error}", message.Request.Method, path,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds, e.Message);
            throw;
        }
        var status = message.Response.Status;
        var level = status is 429 or >= 500 ? LogLevel.Warning : LogLevel.Debug;
        logger.Log(level, "blob {Method} {Path} {Status} in {Milliseconds:F0} ms", message.Request.Method, path, status,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
