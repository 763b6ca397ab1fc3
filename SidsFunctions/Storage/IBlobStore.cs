namespace SidsFunctions.Storage;

/// <summary>
/// The few blob operations the app needs: Azure Blob Storage through the Azure SDK (<see cref="AzureBlobStore"/>),
/// or a local folder standing in for it when no storage is configured (<see cref="FolderBlobStore"/>). Outcomes
/// a caller plans for (absent, unchanged, condition not met) are results; anything else (storage unreachable
/// after retries, access denied) is a <see cref="BlobStorageException"/>.
/// </summary>
public interface IBlobStore
{
    /// <summary>The largest block <see cref="AppendAsync"/> takes (Azure's append-block limit for older service versions).</summary>
    public const int MaxAppendBlockBytes = 4 * 1024 * 1024;

    /// <summary>Where, for logs ("Azure Blob Storage http://127.0.0.1:10000/devstoreaccount1").</summary>
    string Description { get; }

    /// <summary>Reads a whole blob, honouring <paramref name="conditions"/> (If-Match / If-None-Match).</summary>
    Task<BlobDownload> GetAsync(string container, string blob, BlobConditions conditions = default, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a whole block blob at once (readers see the old or the new content, never a part), honouring
    /// <paramref name="conditions"/>; creates the container when it is missing.
    /// </summary>
    Task<BlobUpload> PutAsync(string container, string blob, ReadOnlyMemory<byte> content, BlobConditions conditions = default,
        string? contentType = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends one block to an append blob, creating the container and the blob when absent (safe when
    /// several writers race to create it: none truncates what another appended). A block lands whole,
    /// never interleaved with another writer's; 1 to <see cref="MaxAppendBlockBytes"/> bytes.
    /// </summary>
    Task AppendAsync(string container, string blob, ReadOnlyMemory<byte> block, CancellationToken cancellationToken = default);

    /// <summary>The blobs whose names start with <paramref name="prefix"/>, in name order (empty when the container is absent).</summary>
    Task<IReadOnlyList<BlobEntry>> ListAsync(string container, string prefix, CancellationToken cancellationToken = default);

    /// <summary>Refuses an empty or oversized block before anything is sent.</summary>
    public static void CheckBlock(ReadOnlyMemory<byte> block)
    {
        if (block.Length is 0 or > MaxAppendBlockBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(block), block.Length, $"An appended block holds 1 to {MaxAppendBlockBytes} bytes.");
        }
    }
}

/// <summary>ETag conditions of a read or write (null: no condition). <c>"*"</c> stands for any version.</summary>
public readonly record struct BlobConditions(string? IfMatch = null, string? IfNoneMatch = null)
{
    public static BlobConditions None => default;

    /// <summary>Write only if the blob does not exist yet.</summary>
    public static BlobConditions IfAbsent => new(IfNoneMatch: "*");

    /// <summary>Write (or read) only if the blob is still at this version.</summary>
    public static BlobConditions Matching(string etag) => new(IfMatch: etag);

    /// <summary>Read only if the blob changed since this version (else <see cref="BlobReadStatus.NotModified"/>).</summary>
    public static BlobConditions ChangedSince(string etag) => new(IfNoneMatch: etag);
}

public enum BlobReadStatus
{
    Found,
    NotFound,

    /// <summary>If-None-Match held the current ETag (HTTP 304).</summary>
    NotModified,

    /// <summary>If-Match did not hold (HTTP 412).</summary>
    ConditionNotMet,
}

/// <summary>A read: the content and its version when found.</summary>
public sealed record BlobDownload(BlobReadStatus Status, byte[]? Content, string? ETag, DateTimeOffset? LastModified)
{
    public bool Found => Status == BlobReadStatus.Found;

    public static BlobDownload Absent { get; } = new(BlobReadStatus.NotFound, null, null, null);
}

/// <summary>A write: whether it happened (false: the ETag condition did not hold) and the new version.</summary>
public sealed record BlobUpload(bool Written, string? ETag)
{
    public static BlobUpload ConditionNotMet { get; } = new(false, null);
}

/// <summary>A listed blob.</summary>
public sealed record BlobEntry(string Name, long Length, DateTimeOffset? LastModified);

/// <summary>
/// Storage failed in a way the caller did not plan for: unreachable after retries, denied, or refused.
/// An <see cref="IOException"/>, so code that handles file failures handles these too.
/// </summary>
public sealed class BlobStorageException(string message, int status = 0, string? errorCode = null, Exception? inner = null)
    : IOException(message, inner)
{
    /// <summary>HTTP status (0: no answer, or a local-folder failure).</summary>
    public int Status { get; } = status;

    /// <summary>The service's error code (e.g. "BlockCountExceedsLimit"), when it gave one.</summary>
    public string? ErrorCode { get; } = errorCode;
}
