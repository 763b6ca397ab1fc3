namespace SidsFunctions.Storage;

/// <summary>
/// An Azure Storage connection string, reduced to what the blob client needs: the blob endpoint and
/// either an account key (Shared Key) or a SAS token. <c>UseDevelopmentStorage=true</c> stands for
/// Azurite's well-known development account at http://127.0.0.1:10000/devstoreaccount1.
/// </summary>
public sealed class StorageConnection
{
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>Azurite's published development key (not a secret: every emulator has it).</summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static Uri DevelopmentBlobEndpoint { get; } = new("http://127.0.0.1:10000/devstoreaccount1");

    private StorageConnection(Uri blobEndpoint, string? accountName, byte[]? accountKey, string? sharedAccessSignature)
    {
        BlobEndpoint = blobEndpoint;
        AccountName = accountName;
        AccountKey = accountKey;
        SharedAccessSignature = sharedAccessSignature;
    }

    /// <summary>Blob service endpoint, without a trailing slash.</summary>
    public Uri BlobEndpoint { get; }

    public string? AccountName { get; }

    public byte[]? AccountKey { get; }

    /// <summary>A SAS token (without its leading '?') added to every request instead of signing.</summary>
    public string? SharedAccessSignature { get; }

    /// <summary>
    /// Reads <c>Key=Value;...</c> (keys case-insensitive): UseDevelopmentStorage, DefaultEndpointsProtocol,
    /// AccountName, AccountKey, BlobEndpoint, EndpointSuffix, SharedAccessSignature. Messages name the
    /// missing or wrong part, never the key.
    /// </summary>
    public static StorageConnection Parse(string connectionString)
    {
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = segment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException("The storage connection string has a part without 'Name=Value'.");
            }
            parts[segment[..equals].Trim()] = segment[(equals + 1)..].Trim();
        }

        if (parts.TryGetValue("UseDevelopmentStorage", out var development) && bool.TryParse(development, out var useDevelopment) && useDevelopment)
        {
            return new StorageConnection(DevelopmentBlobEndpoint, DevelopmentAccountName, Convert.FromBase64String(DevelopmentAccountKey), null);
        }

        parts.TryGetValue("AccountName", out var account);
        byte[]? key = null;
        if (parts.TryGetValue("AccountKey", out var keyText) && keyText.Length > 0)
        {
            try
            {
                key = Convert.FromBase64String(keyText);
            }
            catch (FormatException)
            {
                throw new FormatException("The storage connection string's AccountKey is not base64.");
            }
        }
        var sas = parts.TryGetValue("SharedAccessSignature", out var sasText) && sasText.Length > 0 ? sasText.TrimStart('?') : null;

        Uri endpoint;
        if (parts.TryGetValue("BlobEndpoint", out var blobEndpoint) && blobEndpoint.Length > 0)
        {
            if (!Uri.TryCreate(blobEndpoint.TrimEnd('/'), UriKind.Absolute, out endpoint!) || endpoint.Scheme is not ("http" or "https"))
            {
                throw new FormatException("The storage connection string's BlobEndpoint is not an http(s) URL.");
            }
        }
        else if (!string.IsNullOrEmpty(account))
        {
            var protocol = parts.GetValueOrDefault("DefaultEndpointsProtocol", "https");
            var suffix = parts.GetValueOrDefault("EndpointSuffix", "core.windows.net");
            endpoint = new Uri($"{protocol}://{account}.blob.{suffix}");
        }
        else
        {
            throw new FormatException("The storage connection string names neither AccountName nor BlobEndpoint.");
        }

        if (key is not null && string.IsNullOrEmpty(account))
        {
            throw new FormatException("The storage connection string has an AccountKey but no AccountName.");
        }
        if (key is null && sas is null)
        {
            throw new FormatException("The storage connection string has neither AccountKey nor SharedAccessSignature.");
        }
        return new StorageConnection(endpoint, account, key, sas);
    }
}
