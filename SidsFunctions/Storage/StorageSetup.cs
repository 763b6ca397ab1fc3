using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using SidsFunctions.Hosting;

namespace SidsFunctions.Storage;

/// <summary>
/// Which storage the app uses, from its settings, in this order:
/// <list type="number">
/// <item>the <c>AzureWebJobsStorage</c> connection string (account key, SAS, or <c>UseDevelopmentStorage=true</c> for Azurite);</item>
/// <item>the Functions identity-based form: <c>AzureWebJobsStorage__blobServiceUri</c> or <c>__accountName</c>, with
/// <c>__credential=managedidentity</c> and <c>__clientId</c> for a managed identity (as Flex Consumption deploys set it);</item>
/// <item><c>STORAGE_ACCOUNT_URL</c> with the user-assigned managed identity <c>AZURE_CLIENT_ID</c>, or DefaultAzureCredential;</item>
/// <item>else a local folder (<c>LOCAL_STORAGE_PATH</c>, by default <c>storage/</c> beside the app), where the
/// datasets container is the dataset folder itself when <c>DATASET_PATH</c> is a folder.</item>
/// </list>
/// </summary>
public sealed record StorageSettings(
    string? ConnectionString,
    Uri? AccountUrl,
    string? Credential,
    string? ClientId,
    string LocalRoot,
    string DatasetsContainer,
    string? DatasetFolder)
{
    public const string DefaultDatasetsContainer = "datasets";

    /// <summary>
    /// The Functions host's identity-based form of <c>AzureWebJobsStorage</c>, which the app reads too (the
    /// host's settings, as a Flex Consumption deploy sets them, so not in <see cref="SettingNames"/>): the
    /// account name or blob service URI, <c>managedidentity</c>, and a user-assigned identity's client id.
    /// </summary>
    public const string AccountNameSetting = "AzureWebJobsStorage__accountName";

    public const string BlobServiceUriSetting = "AzureWebJobsStorage__blobServiceUri";

    public const string CredentialSetting = "AzureWebJobsStorage__credential";

    public const string ClientIdSetting = "AzureWebJobsStorage__clientId";

    public static StorageSettings FromConfiguration(IConfiguration configuration)
    {
        // "AzureWebJobsStorage__accountName" in the environment is "AzureWebJobsStorage:accountName" in configuration.
        string? Setting(string name) => configuration[name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] is { } value
                                        && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        var connectionString = Setting(SettingNames.Storage);
        if (connectionString is not null)
        {
            try
            {
                _ = new BlobServiceClient(connectionString);
            }
            catch (FormatException e)
            {
                throw new InvalidOperationException($"{SettingNames.Storage}: {e.Message}", e);
            }
        }
        Uri? accountUrl = null;
        string? credential = null, clientId = Setting(SettingNames.StorageClientId);
        if (connectionString is null && (Setting(BlobServiceUriSetting) ?? AccountNameUrl(Setting(AccountNameSetting))) is { } identityUrl)
        {
            accountUrl = HttpsUrl(BlobServiceUriSetting, identityUrl);
            credential = Setting(CredentialSetting);
            clientId = Setting(ClientIdSetting) ?? clientId;
        }
        else if (Setting(SettingNames.StorageAccountUrl) is { } url)
        {
            accountUrl = HttpsUrl(SettingNames.StorageAccountUrl, url);
        }
        var datasetPath = Setting(SettingNames.DatasetPath);
        return new StorageSettings(
            connectionString,
            connectionString is null ? accountUrl : null,
            credential,
            clientId,
            Setting(SettingNames.LocalStoragePath) ?? Path.Combine(AppContext.BaseDirectory, "storage"),
            ContainerName(configuration, SettingNames.DatasetsContainer, DefaultDatasetsContainer),
            datasetPath is null ? FolderDatasetSource.DefaultFolder(configuration)
                : DatasetLocation.IsBlobLocation(datasetPath) ? null : datasetPath);
    }

    private static string? AccountNameUrl(string? accountName)
    {
        if (accountName is null)
        {
            return null;
        }
        if (accountName.Length is < 3 or > 24 || !accountName.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9'))
        {
            throw new InvalidOperationException($"{AccountNameSetting} is '{accountName}': a storage account name has 3 to 24 lowercase letters and digits.");
        }
        return $"https://{accountName}.blob.core.windows.net";
    }

    private static Uri HttpsUrl(string setting, string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            ? uri
            : throw new InvalidOperationException($"{setting} must be an https blob service URL (https://ACCOUNT.blob.core.windows.net), not '{url}'.");

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

    /// <summary>
    /// The token credential for an account URL: a managed identity when <c>__credential</c> says
    /// <c>managedidentity</c> or a client id is given (user-assigned), else DefaultAzureCredential (managed
    /// identity in Azure, developer sign-ins locally).
    /// </summary>
    public TokenCredential TokenCredential() =>
        ClientId is not null ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(ClientId))
        : string.Equals(Credential, "managedidentity", StringComparison.OrdinalIgnoreCase) ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
        : new DefaultAzureCredential();

    /// <summary>The store these settings name.</summary>
    public IBlobStore CreateStore(ILogger? logger = null) =>
        ConnectionString is not null ? new AzureBlobStore(new BlobServiceClient(ConnectionString, AzureBlobStore.Options(logger)))
        : AccountUrl is not null ? ForAccount(AccountUrl, logger)
        : new FolderBlobStore(LocalRoot, DatasetFolder is null ? null : new Dictionary<string, string> { [DatasetsContainer] = DatasetFolder });

    /// <summary>A store for an account URL (https), with this app's token credential.</summary>
    public AzureBlobStore ForAccount(Uri accountUrl, ILogger? logger = null) =>
        new(new BlobServiceClient(accountUrl, TokenCredential(), AzureBlobStore.Options(logger)));
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
