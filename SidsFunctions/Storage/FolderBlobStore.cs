using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace SidsFunctions.Storage;

/// <summary>
/// The blob operations over a local folder, so the app runs with nothing installed: a container is a
/// folder (<c>root/container</c>, or one given explicitly, e.g. the datasets container is the dataset
/// folder itself) and a blob a file in it ('/' in its name makes sub-folders). ETags are a hash of the
/// content. A put replaces the file by renaming a finished temporary file over it (readers see the old
/// or the new content); writes to one file are serialised within the process, and appends take an
/// exclusive lock on the file, so they are whole across threads and processes.
/// </summary>
public sealed class FolderBlobStore : IBlobStore
{
    private const string TemporarySuffix = ".partial";

    // One lock per file across every store of the process (tests build several on one folder).
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> FileLocks = new(StringComparer.Ordinal);

    private readonly IReadOnlyDictionary<string, string> containerFolders;

    public FolderBlobStore(string root, IReadOnlyDictionary<string, string>? containerFolders = null)
    {
        Root = Path.GetFullPath(root);
        this.containerFolders = (containerFolders ?? new Dictionary<string, string>())
            .ToDictionary(p => p.Key, p => Path.GetFullPath(p.Value), StringComparer.Ordinal);
    }

    public string Root { get; }

    public string Description => containerFolders.Count == 0
        ? $"folder {Root}"
        : $"folder {Root} ({string.Join(", ", containerFolders.Select(p => $"{p.Key}: {p.Value}"))})";

    /// <summary>The folder that holds a container's blobs.</summary>
    public string ContainerFolder(string container)
    {
        if (containerFolders.TryGetValue(container, out var folder))
        {
            return folder;
        }
        if (container.Length == 0 || container.Contains('/') || container.Contains('\\') || container is "." or "..")
        {
            throw new ArgumentException($"'{container}' is not a container name.", nameof(container));
        }
        return Path.Combine(Root, container);
    }

    public Task<bool> CreateContainerIfNotExistsAsync(string container, CancellationToken cancellationToken = default)
    {
        var folder = ContainerFolder(container);
        return Io(container, null, () =>
        {
            if (Directory.Exists(folder))
            {
                return false;
            }
            Directory.CreateDirectory(folder);
            return true;
        });
    }

    public async Task<BlobDownload> GetAsync(string container, string blob, BlobConditions conditions = default, CancellationToken cancellationToken = default)
    {
        var path = BlobPath(container, blob);
        var content = await ReadAsync(container, blob, path, cancellationToken);
        if (content is null)
        {
            return BlobDownload.Absent;
        }
        var etag = ETagOf(content);
        if (conditions.IfMatch is { } ifMatch && ifMatch != "*" && ifMatch != etag)
        {
            return new BlobDownload(BlobReadStatus.ConditionNotMet, null, null, null);
        }
        if (conditions.IfNoneMatch is { } ifNoneMatch && (ifNoneMatch == "*" || ifNoneMatch == etag))
        {
            return new BlobDownload(BlobReadStatus.NotModified, null, etag, null);
        }
        return new BlobDownload(BlobReadStatus.Found, content, etag, File.GetLastWriteTimeUtc(path));
    }

    public async Task<BlobUpload> PutAsync(string container, string blob, ReadOnlyMemory<byte> content, BlobConditions conditions = default,
        string? contentType = null, CancellationToken cancellationToken = default)
    {
        var path = BlobPath(container, blob);
        var gate = FileLocks.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var current = await ReadAsync(container, blob, path, cancellationToken);
            var currentETag = current is null ? null : ETagOf(current);
            var holds = conditions.IfMatch switch
            {
                null => true,
                "*" => currentETag is not null,
                var etag => etag == currentETag,
            };
            holds &= conditions.IfNoneMatch switch
            {
                null => true,
                "*" => currentETag is null,
                var etag => etag != currentETag,
            };
            if (!holds)
            {
                return new BlobUpload(BlobWriteStatus.ConditionNotMet, null);
            }
            var temporary = $"{path}.{Guid.NewGuid():N}{TemporarySuffix}";
            await Io(container, blob, async () =>
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                try
                {
                    await File.WriteAllBytesAsync(temporary, content, cancellationToken);
                    File.Move(temporary, path, overwrite: true);
                }
                finally
                {
                    File.Delete(temporary);
                }
                return true;
            });
            return new BlobUpload(BlobWriteStatus.Written, ETagOf(content.Span));
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task AppendAsync(string container, string blob, ReadOnlyMemory<byte> block, CancellationToken cancellationToken = default)
    {
        if (block.Length is 0 or > IBlobStore.MaxAppendBlockBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(block), block.Length, $"An appended block holds 1 to {IBlobStore.MaxAppendBlockBytes} bytes.");
        }
        var path = BlobPath(container, blob);
        var gate = FileLocks.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await WithSharingRetries(container, blob, cancellationToken, async () =>
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                // FileShare.None: an exclusive lock, so another process's append waits instead of interleaving.
                await using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None, 1 << 12, useAsync: true);
                await stream.WriteAsync(block, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                return true;
            });
        }
        finally
        {
            gate.Release();
        }
    }

    public Task<IReadOnlyList<BlobEntry>> ListAsync(string container, string prefix, CancellationToken cancellationToken = default)
    {
        var folder = ContainerFolder(container);
        return Io<IReadOnlyList<BlobEntry>>(container, null, () =>
        {
            if (!Directory.Exists(folder))
            {
                return [];
            }
            return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => !f.EndsWith(TemporarySuffix, StringComparison.Ordinal))
                .Select(f => (File: f, Name: Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/')))
                .Where(f => f.Name.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(f => f.Name, StringComparer.Ordinal)
                .Select(f =>
                {
                    var info = new FileInfo(f.File);
                    return new BlobEntry(f.Name, info.Length, info.LastWriteTimeUtc);
                })
                .ToArray();
        });
    }

    /// <summary>The file of a blob; names that would leave the container folder are refused.</summary>
    public string BlobPath(string container, string blob)
    {
        var segments = blob.Split('/');
        if (blob.Length == 0 || segments.Any(s => s.Length == 0 || s is "." or ".." || s.Contains('\\') || s.Contains(':')))
        {
            throw new ArgumentException($"'{blob}' is not a blob name this store can keep in a folder.", nameof(blob));
        }
        return Path.Combine([ContainerFolder(container), .. segments]);
    }

    /// <summary>A quoted hash of the content, like a service ETag: equal content, equal ETag.</summary>
    public static string ETagOf(ReadOnlySpan<byte> content) => $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"";

    private Task<byte[]?> ReadAsync(string container, string blob, string path, CancellationToken cancellationToken) =>
        WithSharingRetries<byte[]?>(container, blob, cancellationToken, async () =>
        {
            try
            {
                return await File.ReadAllBytesAsync(path, cancellationToken);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
        });

    // Another process appending holds an exclusive lock for a moment: wait a little and try again.
    private static async Task<T> WithSharingRetries<T>(string container, string? blob, CancellationToken cancellationToken, Func<Task<T>> action)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException) && attempt < 40)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5 * (attempt + 1)), cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new BlobStorageException($"Cannot use '{container}/{blob}' in the storage folder: {e.Message}", 0, null, e);
            }
        }
    }

    private static async Task<T> Io<T>(string container, string? blob, Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is (IOException or UnauthorizedAccessException) and not BlobStorageException)
        {
            throw new BlobStorageException($"Cannot use '{container}{(blob is null ? "" : "/" + blob)}' in the storage folder: {e.Message}", 0, null, e);
        }
    }

    private static Task<T> Io<T>(string container, string? blob, Func<T> action) => Io(container, blob, () => Task.FromResult(action()));
}
