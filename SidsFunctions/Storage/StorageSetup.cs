using SidsFunctions.Hosting;

namespace SidsFunctions.Storage;

/// <summary>
/// Which storage the app uses, from its settings, in this order: the <c>AzureWebJobsStorage</c> connection
/// string (Shared Key or SAS; <c>UseDevelopmentStorage=true</c> for Azurite); else <c>STORAGE_ACCOUNT_URL</c>
/// with a managed identity (<c>AZURE_CLIENT_ID</c> for a user-assigned one) or developer credentials;
/// else a local folder (<c>LOCAL_STORAGE_PATH</c>, by default <c>storage/</c> beside the app), where the
/// datasets container is the dataset folder itself when <c>DATASET_PATH</c> is a folder.
/// </summary>
public sealed record StorageSettings(
    string? ConnectionString,
    Uri? AccountUrl,
    string? ClientId,
    string LocalRoot,
    string DatasetsContainer,
    string? DatasetFolder)
{
    public const string DefaultDatasetsContainer = "datasets";

    public StorageKind Kind => ConnectionString is not null ? StorageKind.ConnectionString
        : AccountUrl is not null ? StorageKind.AccountUrl
        : StorageKind.Folder;

    public static StorageSettings FromConfiguration(IConfiguration configuration)
    {
        static string? Setting(IConfiguration configuration, string name) =>
            configuration[name] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        Uri? accountUrl = null;
        if (Setting(configuration, SettingNames.StorageAccountUrl) is { } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out accountUrl) || accountUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"{SettingNames.StorageAccountUrl} must be an https blob service URL (https://ACCOUNT.blob.core.windows.net), not '{url}'.");
        }
        var connectionString = Setting(configuration, SettingNames.Storage);
        if (connectionString is not null)
        {
            try
            {
                StorageConnection.Parse(connectionString);
            }
            catch (FormatException e)
            {
                throw new InvalidOperationException($"{SettingNames.Storage}: {e.Message}", e);
            }
        }
        var datasetPath = Setting(configuration, SettingNames.DatasetPath);
        return new StorageSettings(
            connectionString,
            accountUrl,
            Setting(configuration, SettingNames.StorageClientId),
            Setting(configuration, SettingNames.LocalStoragePath) ?? Path.Combine(AppContext.BaseDirectory, "storage"),
            ContainerName(configuration, SettingNames.DatasetsContainer, DefaultDatasetsContainer),
            datasetPath is null ? FolderDatasetSource.DefaultFolder(configuration)
                : DatasetLocation.IsBlobLocation(datasetPath) ? null : datasetPath);
    }

    /// <summary>A container name setting (Azure's rule: 3–63 of a–z, 0–9 and single hyphens, starting with a letter or digit).</summary>
    public static string ContainerName(IConfiguration configuration, string setting, string fallback)
    {
        var name = configuration[setting] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : fallback;
        if (!IsContainerName(name))
        {
            throw new InvalidOperationException($"{setting} is '{name}': a container name has 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.");
        }
        return name;
    }

    public static bool IsContainerName(string name) =>
        name.Length is >= 3 and <= 63
        && name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-')
        && name[0] != '-' && name[^1] != '-'
        && !name.Contains("--", StringComparison.Ordinal);

    /// <summary>The store these settings name.</summary>
    public IBlobStore CreateStore(ILogger logger, BlobPipelineOptions? options = null) => Kind switch
    {
        StorageKind.ConnectionString => HttpBlobStore.FromConnectionString(ConnectionString!, options, logger),
        StorageKind.AccountUrl => HttpBlobStore.FromAccountUrl(AccountUrl!, HttpBlobStore.Credential(ClientId), options, logger),
        _ => new FolderBlobStore(LocalRoot, DatasetFolder is null
            ? null
            : new Dictionary<string, string> { [DatasetsContainer] = DatasetFolder }),
    };
}

public enum StorageKind
{
    ConnectionString,
    AccountUrl,
    Folder,
}

public static class StorageRegistration
{
    /// <summary>
    /// Registers <see cref="StorageSettings"/> and the one <see cref="IBlobStore"/> of the app, read from the
    /// app's final configuration when first needed (test hosts add settings after registration).
    /// </summary>
    public static IServiceCollection AddSidsStorage(this IServiceCollection services)
    {
        services.AddSingleton(provider => StorageSettings.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton<IBlobStore>(provider =>
        {
            var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("SidsFunctions.Storage");
            var store = provider.GetRequiredService<StorageSettings>().CreateStore(logger);
            logger.LogInformation("Storage: {Store}", store.Description);
            return store;
        });
        return services;
    }
}
