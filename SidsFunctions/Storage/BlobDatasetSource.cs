using SidsFunctions.Hosting;
using SidsModels.Common;
using SidsModels.Data;

namespace SidsFunctions.Storage;

/// <summary>
/// Where <c>DATASET_PATH</c> points. A local folder (the default form), or blob storage, as the Python
/// backend's pods mounted the datasets container:
/// <list type="bullet">
/// <item><c>blob://CONTAINER</c> or <c>blob://CONTAINER/PREFIX</c>: a container of the app's own storage
/// (<c>AzureWebJobsStorage</c> or <c>STORAGE_ACCOUNT_URL</c>; with neither, the local storage folder);</item>
/// <item><c>https://ACCOUNT.blob.core.windows.net/CONTAINER/PREFIX</c>: a blob URL; through the app's own
/// storage client when the URL lies under its endpoint (also Azurite's
/// <c>http://127.0.0.1:10000/devstoreaccount1/CONTAINER</c>), else with a token of the managed identity
/// (<c>AZURE_CLIENT_ID</c>) or developer credentials for that account.</item>
/// </list>
/// The three CSVs are the blobs <c>PREFIX/indicatorMeta.csv</c>, <c>PREFIX/datasetMeta.csv</c>, <c>PREFIX/indicatorData.csv</c>.
/// </summary>
public sealed record DatasetLocation(IBlobStore Store, string Container, string Prefix)
{
    public const string BlobScheme = "blob://";

    public static bool IsBlobLocation(string path) =>
        path.StartsWith(BlobScheme, StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Resolves a blob location against the app's store; <paramref name="foreignAccount"/> makes a store
    /// for an https URL of another account.
    /// </summary>
    public static DatasetLocation Parse(string path, IBlobStore appStore, Func<Uri, IBlobStore> foreignAccount)
    {
        if (path.StartsWith(BlobScheme, StringComparison.OrdinalIgnoreCase))
        {
            return FromPath(path[BlobScheme.Length..], appStore, path);
        }
        if (!Uri.TryCreate(path, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"{SettingNames.DatasetPath} '{path}' is neither a folder, blob://CONTAINER/PREFIX nor a blob URL.");
        }
        var urlText = url.GetLeftPart(UriPartial.Path);
        if (appStore is AzureBlobStore azure && urlText.StartsWith(azure.Endpoint + "/", StringComparison.OrdinalIgnoreCase))
        {
            return FromPath(Uri.UnescapeDataString(urlText[(azure.Endpoint.Length + 1)..]), appStore, path);
        }
        if (url.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException(
                $"{SettingNames.DatasetPath} '{path}' is an http URL outside the configured storage endpoint; another account needs https.");
        }
        return FromPath(Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/')), foreignAccount(new Uri(url.GetLeftPart(UriPartial.Authority))), path);
    }

    private static DatasetLocation FromPath(string containerAndPrefix, IBlobStore store, string setting)
    {
        var slash = containerAndPrefix.IndexOf('/', StringComparison.Ordinal);
        var container = slash < 0 ? containerAndPrefix : containerAndPrefix[..slash];
        var prefix = slash < 0 ? "" : containerAndPrefix[(slash + 1)..].Trim('/');
        if (!StorageSettings.IsContainerName(container))
        {
            throw new InvalidOperationException($"{SettingNames.DatasetPath} '{setting}' does not start with a container name (3–63 of a–z, 0–9, -).");
        }
        return new DatasetLocation(store, container, prefix.Length == 0 ? "" : prefix + "/");
    }

    public string Description => $"{Store.Description} container '{Container}'{(Prefix.Length > 0 ? $" under '{Prefix}'" : "")}";
}

/// <summary>
/// The dataset read from blob storage: the three CSVs under the location's prefix, through the app's
/// blob client. <see cref="ListFiles"/> lists the names under the prefix as a folder listing would
/// (sub-folders by their first segment), kept for a minute between listings.
/// </summary>
public sealed class BlobDatasetSource(DatasetLocation location, TimeProvider? time = null) : IDatasetSource
{
    private static readonly TimeSpan ListingLifetime = TimeSpan.FromMinutes(1);
    private readonly TimeProvider time = time ?? TimeProvider.System;
    private readonly Lock gate = new();
    private (IReadOnlyList<string> Files, DateTimeOffset At)? listing;

    public DatasetLocation Location { get; } = location;

    public string Description => $"blob {Location.Description}";

    public IndicatorTable Load() => LoadAsync(CancellationToken.None).GetAwaiter().GetResult();

    public async Task<IndicatorTable> LoadAsync(CancellationToken cancellationToken)
    {
        var files = new[] { IndicatorTableLoader.IndicatorMetaFile, IndicatorTableLoader.DatasetMetaFile, IndicatorTableLoader.IndicatorDataFile };
        var downloads = await Task.WhenAll(files.Select(f => Location.Store.GetAsync(Location.Container, Location.Prefix + f, BlobConditions.None, cancellationToken)));
        for (var i = 0; i < files.Length; i++)
        {
            if (!downloads[i].Found)
            {
                throw new DatasetFormatException(files[i], null, $"blob not found in {Location.Description}");
            }
        }
        using var meta = new MemoryStream(downloads[0].Content!, writable: false);
        using var datasets = new MemoryStream(downloads[1].Content!, writable: false);
        using var data = new MemoryStream(downloads[2].Content!, writable: false);
        return IndicatorTableLoader.Load(meta, datasets, data);
    }

    public IReadOnlyList<string> ListFiles()
    {
        lock (gate)
        {
            if (listing is { } cached && time.GetUtcNow() - cached.At < ListingLifetime)
            {
                return cached.Files;
            }
        }
        IReadOnlyList<string> files;
        try
        {
            files = ListFilesAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (BlobStorageException e)
        {
            throw new InvalidInputException($"The dataset location cannot be listed now: {e.Message}", kind: InputErrorKind.Unavailable);
        }
        lock (gate)
        {
            listing = (files, time.GetUtcNow());
        }
        return files;
    }

    public async Task<IReadOnlyList<string>> ListFilesAsync(CancellationToken cancellationToken)
    {
        var blobs = await Location.Store.ListAsync(Location.Container, Location.Prefix, cancellationToken);
        return blobs.Select(b => b.Name[Location.Prefix.Length..].Split('/')[0])
            .Where(n => n.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();
    }
}

/// <summary>The <see cref="IDatasetSource"/> that <c>DATASET_PATH</c> names: a folder, or blob storage.</summary>
public static class DatasetSources
{
    public static IDatasetSource Create(IConfiguration configuration, IServiceProvider services)
    {
        var path = FolderDatasetSource.DefaultFolder(configuration);
        if (!DatasetLocation.IsBlobLocation(path))
        {
            return new FolderDatasetSource(path);
        }
        var settings = services.GetRequiredService<StorageSettings>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("SidsFunctions.Storage");
        var location = DatasetLocation.Parse(path, services.GetRequiredService<IBlobStore>(), account => settings.ForAccount(account, logger));
        return new BlobDatasetSource(location);
    }
}
