using System.Diagnostics;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace SidsFunctions.Storage;

/// <summary>
/// Azure Blob Storage through the Azure SDK (<see cref="BlobServiceClient"/>, <see cref="BlobContainerClient"/>,
/// <see cref="AppendBlobClient"/>): authorisation, retries, service versions and continuation markers are the
/// SDK's. This class only maps the service's planned-for answers (404, 304, 412, 409) to results and the rest
/// to <see cref="BlobStorageException"/>. Works against Azurite as against Azure.
/// </summary>
public sealed class AzureBlobStore(BlobServiceClient service) : IBlobStore
{
    public BlobServiceClient Service { get; } = service;

    /// <summary>The blob service endpoint without a SAS or trailing slash.</summary>
    public string Endpoint { get; } = service.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/');

    /// <summary>Blobs asked for per listing page (the service's most is 5000); the SDK follows continuation markers.</summary>
    public int ListPageSize { get; init; } = 5000;

    public string Description => $"Azure Blob Storage {Endpoint}";

    /// <summary>
    /// The client options of every store. Retries are the SDK's exponential back-off over transient failures
    /// (408, 429, 500, 502, 503, 504, network errors), kept short on purpose: no answer waits on a blob write
    /// (the duration log writes in the background and retries a failed batch itself, 0.5 s to 30 s apart, as
    /// long as an outage lasts), and the reads someone waits on are bounded by their callers (the first
    /// /estimate waits 5 s at most). So 3 retries 0.5 s to 4 s apart ride out a throttled or dropped request,
    /// and a dead endpoint is reported within seconds instead of the SDK defaults' minutes (5 retries up to
    /// 60 s apart, 100 s per try). The service version is the newest Azurite (3.35, the tests' emulator) accepts.
    /// </summary>
    public static BlobClientOptions Options(ILogger? logger = null, int maxRetries = 3, TimeSpan? retryDelay = null)
    {
        var options = new BlobClientOptions(BlobClientOptions.ServiceVersion.V2025_11_05)
        {
            Retry =
            {
                Mode = RetryMode.Exponential,
                MaxRetries = maxRetries,
                Delay = retryDelay ?? TimeSpan.FromMilliseconds(500),
                MaxDelay = TimeSpan.FromSeconds(4),
                NetworkTimeout = TimeSpan.FromSeconds(30),
            },
            Diagnostics = { ApplicationId = "sids-ml" },
        };
        if (logger is not null)
        {
            options.AddPolicy(new AttemptLogPolicy(logger), HttpPipelinePosition.PerRetry);
        }
        return options;
    }

    public async Task<BlobDownload> GetAsync(string container, string blob, BlobConditions conditions = default, CancellationToken cancellationToken = default)
    {
        var client = Service.GetBlobContainerClient(container).GetBlobClient(blob);
        try
        {
            var response = await client.DownloadContentAsync(new BlobDownloadOptions { Conditions = Conditions(conditions) }, cancellationToken);
            if (response.GetRawResponse().Status == 304)
            {
                // If-None-Match held: the SDK answers a response without a body.
                return new BlobDownload(BlobReadStatus.NotModified, null, conditions.IfNoneMatch, null);
            }
            var result = response.Value;
            return new BlobDownload(BlobReadStatus.Found, result.Content.ToArray(), result.Details.ETag.ToString("H"), result.Details.LastModified);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return e.Status == 404 ? BlobDownload.Absent : new BlobDownload(BlobReadStatus.ConditionNotMet, null, null, null);
        }
        catch (Exception e) when (Failure(e, "read", container, blob, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    public async Task<BlobUpload> PutAsync(string container, string blob, ReadOnlyMemory<byte> content, BlobConditions conditions = default,
        string? contentType = null, CancellationToken cancellationToken = default)
    {
        var containerClient = Service.GetBlobContainerClient(container);
        var options = new BlobUploadOptions
        {
            Conditions = Conditions(conditions),
            HttpHeaders = contentType is null ? null : new BlobHttpHeaders { ContentType = contentType },
        };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var info = await containerClient.GetBlobClient(blob).UploadAsync(BinaryData.FromBytes(content), options, cancellationToken);
                return new BlobUpload(true, info.Value.ETag.ToString("H"));
            }
            catch (RequestFailedException e) when (e.Status == 412 || e.ErrorCode == BlobErrorCode.BlobAlreadyExists)
            {
                return BlobUpload.ConditionNotMet;
            }
            catch (RequestFailedException e) when (attempt == 0 && e.ErrorCode == BlobErrorCode.ContainerNotFound)
            {
                await CreateContainerAsync(containerClient, cancellationToken);
            }
            catch (Exception e) when (Failure(e, "write", container, blob, cancellationToken) is { } failure)
            {
                throw failure;
            }
        }
    }

    public async Task AppendAsync(string container, string blob, ReadOnlyMemory<byte> block, CancellationToken cancellationToken = default)
    {
        IBlobStore.CheckBlock(block);
        var containerClient = Service.GetBlobContainerClient(container);
        var client = containerClient.GetAppendBlobClient(blob);
        // Append; when the blob (or its container) is missing, create it and append again. CreateIfNotExists
        // sends If-None-Match: *, so a writer that loses the race to create the blob never truncates it.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var stream = BinaryData.FromBytes(block).ToStream();
                await client.AppendBlockAsync(stream, cancellationToken: cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (attempt < 3 && e.Status == 404)
            {
                try
                {
                    if (e.ErrorCode == BlobErrorCode.ContainerNotFound)
                    {
                        await CreateContainerAsync(containerClient, cancellationToken);
                    }
                    await client.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                }
                catch (Exception inner) when (Failure(inner, "create append blob", container, blob, cancellationToken) is { } failure)
                {
                    throw failure;
                }
            }
            catch (Exception e) when (Failure(e, "append to", container, blob, cancellationToken) is { } failure)
            {
                throw failure;
            }
        }
    }

    public async Task<IReadOnlyList<BlobEntry>> ListAsync(string container, string prefix, CancellationToken cancellationToken = default)
    {
        var entries = new List<BlobEntry>();
        try
        {
            var pages = Service.GetBlobContainerClient(container)
                .GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix.Length == 0 ? null : prefix, cancellationToken)
                .AsPages(pageSizeHint: ListPageSize);
            await foreach (var page in pages)
            {
                entries.AddRange(page.Values.Select(b => new BlobEntry(b.Name, b.Properties.ContentLength ?? 0, b.Properties.LastModified)));
            }
            return entries;
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            return [];
        }
        catch (Exception e) when (Failure(e, "list", container, prefix, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    private async Task CreateContainerAsync(BlobContainerClient container, CancellationToken cancellationToken)
    {
        try
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
        catch (Exception e) when (Failure(e, "create container", container.Name, null, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    private static BlobRequestConditions? Conditions(BlobConditions conditions) =>
        conditions.IfMatch is null && conditions.IfNoneMatch is null
            ? null
            : new BlobRequestConditions
            {
                IfMatch = ETagOf(conditions.IfMatch),
                IfNoneMatch = ETagOf(conditions.IfNoneMatch),
            };

    private static ETag? ETagOf(string? etag) => etag switch
    {
        null => null,
        "*" => ETag.All,
        _ => new ETag(etag),
    };

    /// <summary>
    /// The SDK's failures as one exception type naming the operation and the blob (never a key or SAS):
    /// a refused request, the retry policy giving up ("Retry failed after N tries"), or a per-try timeout.
    /// Null for what is not a storage failure (the caller's own cancellation, a bug), which then propagates.
    /// </summary>
    private BlobStorageException? Failure(Exception e, string operation, string container, string? blob, CancellationToken cancellationToken)
    {
        var where = $"{operation} {(blob is null ? $"container '{container}'" : $"'{container}/{blob}'")} at {Endpoint}";
        return e switch
        {
            RequestFailedException failed => new BlobStorageException($"Cannot {where}: {FirstLine(failed)}", failed.Status, failed.ErrorCode, e),
            AggregateException { InnerExceptions: [.., var last] } retries => new BlobStorageException(
                $"Cannot {where} ({retries.InnerExceptions.Count} attempts): {FirstLine(last)}", (last as RequestFailedException)?.Status ?? 0,
                (last as RequestFailedException)?.ErrorCode, e),
            OperationCanceledException when !cancellationToken.IsCancellationRequested =>
                new BlobStorageException($"Cannot {where}: no answer in time", 0, null, e),
            _ => null,
        };
    }

    private static string FirstLine(Exception e) => e.Message.Split('\n', 2)[0].Trim();

    /// <summary>Logs each attempt to the app's log: failures and throttling as warnings, the rest at debug level.</summary>
    private sealed class AttemptLogPolicy(ILogger logger) : HttpPipelinePolicy
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
            catch (Exception e) when (!message.CancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("blob {Method} {Path} failed after {Milliseconds:F0} ms: {Error}", message.Request.Method, path,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds, e.Message);
                throw;
            }
            var status = message.Response.Status;
            logger.Log(status is 429 or >= 500 ? LogLevel.Warning : LogLevel.Debug, "blob {Method} {Path} {Status} in {Milliseconds:F0} ms",
                message.Request.Method, path, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
