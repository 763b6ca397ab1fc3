using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace SidsFunctions.Storage;

/// <summary>
/// A local folder standing in for blob storage when none is configured, so the app runs with nothing
/// installed. A container is a folder (<c>root/container</c>, or one given explicitly: the datasets container
/// is the dataset folder itself) and a blob a file in it ('/' makes sub-folders); an ETag is a hash of the
/// content. Every operation on a folder is serialised within the process (one app per folder), and a put
/// renames a finished temporary file over the old one, so readers see whole blobs.
/// </summary>
public sealed class FolderBlobStore : IBlobStore
{
    private const string TemporarySuffix = ".partial";

    // One lock per root across every store of the process (tests build several on one folder).
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);

    private readonly IReadOnlyDictionary<string, string> containerFolders;
    private readonly SemaphoreSlim gate;

    public FolderBlobStore(string root, IReadOnlyDictionary<string, string>? containerFolders = null)
    {
        Root = Path.GetFullPath(root);
        this.containerFolders = (containerFolders ?? new Dictionary<string, string>()).ToDictionary(p => p.Key, p => Path.GetFullPath(p.Value));
        gate = Locks.GetOrAdd(Root, _ => new SemaphoreSlim(1, 1));
    }

    public string Root { get; }

    public string Description => $"folder {Root}{string.Concat(containerFolders.Select(p => $" ({p.Key}: {p.Value})"))}";

    public Task<BlobDownload> GetAsync(string container, string blob, BlobConditions conditions = default, CancellationToken cancellationToken = default) =>
        Locked(container, blob, cancellationToken, async path =>
        {
            var content = await ReadAsync(path, cancellationToken);
            var etag = content is null ? null : ETagOf(content);
            return etag switch
            {
                null => BlobDownload.Absent,
                _ when conditions.IfMatch is { } m && m != "*" && m != etag => new BlobDownload(BlobReadStatus.ConditionNotMet, null, null, null),
                _ when conditions.IfNoneMatch is { } n && (n == "*" || n == etag) => new BlobDownload(BlobReadStatus.NotModified, null, etag, null),
                _ => new BlobDownload(BlobReadStatus.Found, content, etag, File.GetLastWriteTimeUtc(path)),
            };
        });

    public Task<BlobUpload> PutAsync(string container, string blob, ReadOnlyMemory<byte> content, BlobConditions conditions = default,
        string? contentType = null, CancellationToken cancellationToken = default) =>
        Locked(container, blob, cancellationToken, async path =>
        {
            var current = await ReadAsync(path, cancellationToken) is { } bytes ? ETagOf(bytes) : null;
            var holds = conditions.IfMatch switch { null => true, "*" => current is not null, var etag => etag == current }
                        && conditions.IfNoneMatch switch { null => true, "*" => current is null, var etag => etag != current };
            if (!holds)
            {
                return BlobUpload.ConditionNotMet;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = $"{path}.{Guid.NewGuid():N}{TemporarySuffix}";
            try
            {
                await File.WriteAllBytesAsync(temporary, content, cancellationToken);
                File.Move(temporary, path, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }
            return new BlobUpload(true, ETagOf(content.Span));
        });

    public Task AppendAsync(string container, string blob, ReadOnlyMemory<byte> block, CancellationToken cancellationToken = default)
    {
        IBlobStore.CheckBlock(block);
        return Locked(container, blob, cancellationToken, async path =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            await stream.WriteAsync(block, cancellationToken);
            return true;
        });
    }

    public Task<IReadOnlyList<BlobEntry>> ListAsync(string container, string prefix, CancellationToken cancellationToken = default) =>
        Locked<IReadOnlyList<BlobEntry>>(container, null, cancellationToken, folder => Task.FromResult<IReadOnlyList<BlobEntry>>(!Directory.Exists(folder)
            ? []
            : Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => !f.EndsWith(TemporarySuffix, StringComparison.Ordinal))
                .Select(f => (Info: new FileInfo(f), Name: Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/')))
                .Where(f => f.Name.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => new BlobEntry(f.Name, f.Info.Length, f.Info.LastWriteTimeUtc))
                .ToArray()));

    /// <summary>The file of a blob (the container's folder when <paramref name="blob"/> is null); names that would leave it are refused.</summary>
    public string BlobPath(string container, string? blob)
    {
        if (!containerFolders.TryGetValue(container, out var folder))
        {
            if (!StorageSettings.IsContainerName(container))
            {
                throw new ArgumentException($"'{container}' is not a container name.", nameof(container));
            }
            folder = Path.Combine(Root, container);
        }
        if (blob is null)
        {
            return folder;
        }
        var segments = blob.Split('/');
        if (segments.Any(s => s.Length == 0 || s is "." or ".." || s.Contains('\\') || s.Contains(':')))
        {
            throw new ArgumentException($"'{blob}' is not a blob name this store can keep in a folder.", nameof(blob));
        }
        return Path.Combine([folder, .. segments]);
    }

    /// <summary>A quoted hash of the content, like a service ETag: equal content, equal ETag.</summary>
    public static string ETagOf(ReadOnlySpan<byte> content) => $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"";

    private static async Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Runs <paramref name="action"/> on the blob's path under the folder's lock; file-system failures become <see cref="BlobStorageException"/>.</summary>
    private async Task<T> Locked<T>(string container, string? blob, CancellationToken cancellationToken, Func<string, Task<T>> action)
    {
        var path = BlobPath(container, blob);
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await action(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BlobStorageException($"Cannot use '{container}/{blob}' in the storage folder {Root}: {e.Message}", 0, null, e);
        }
        finally
        {
            gate.Release();
        }
    }
}
