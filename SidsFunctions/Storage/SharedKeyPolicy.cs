using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace SidsFunctions.Storage;

/// <summary>
/// Signs each attempt of a request with the storage account key (Azure Storage "Shared Key" authorisation,
/// service version 2015-02-21 and later): stamps x-ms-date, then HMAC-SHA256 of the canonical request.
/// Runs per retry, so a retried request carries a fresh date and signature.
/// </summary>
public sealed class SharedKeyPolicy(string accountName, byte[] accountKey) : HttpPipelineSynchronousPolicy
{
    private readonly byte[] key = (byte[])accountKey.Clone();

    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        request.Headers.SetValue("x-ms-date", DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture));
        var signature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(StringToSign(request, accountName))));
        request.Headers.SetValue("Authorization", $"SharedKey {accountName}:{signature}");
    }

    /// <summary>The canonical form the service recomputes: verb, standard headers, x-ms-* headers, resource.</summary>
    public static string StringToSign(Request request, string accountName)
    {
        string Header(string name) => request.Headers.TryGetValue(name, out var value) ? value : "";

        var contentLength = request.Content is not null && request.Content.TryComputeLength(out var length) && length > 0
            ? length.ToString(CultureInfo.InvariantCulture)
            : "";
        var text = new StringBuilder(256)
            .Append(request.Method.Method).Append('\n')
            .Append(Header("Content-Encoding")).Append('\n')
            .Append(Header("Content-Language")).Append('\n')
            .Append(contentLength).Append('\n')
            .Append(Header("Content-MD5")).Append('\n')
            .Append(Header("Content-Type")).Append('\n')
            .Append('\n') // Date: x-ms-date is used instead
            .Append(Header("If-Modified-Since")).Append('\n')
            .Append(Header("If-Match")).Append('\n')
            .Append(Header("If-None-Match")).Append('\n')
            .Append(Header("If-Unmodified-Since")).Append('\n')
            .Append(Header("Range")).Append('\n');

        var msHeaders = request.Headers
            .Where(h => h.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            .Select(h => (Name: h.Name.ToLowerInvariant(), Value: h.Value.Trim()))
            .OrderBy(h => h.Name, StringComparer.Ordinal);
        foreach (var (name, value) in msHeaders)
        {
            text.Append(name).Append(':').Append(value).Append('\n');
        }

        // The resource: /account + the encoded path (path-style emulator URLs carry the account again),
        // then each query parameter, lower-cased, decoded, sorted, its values sorted and comma-joined.
        var uri = request.Uri.ToUri();
        text.Append('/').Append(accountName).Append(uri.AbsolutePath);
        var query = uri.Query.TrimStart('?');
        if (query.Length > 0)
        {
            var parameters = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p =>
                {
                    var equals = p.IndexOf('=', StringComparison.Ordinal);
                    return equals < 0
                        ? (Name: Uri.UnescapeDataString(p).ToLowerInvariant(), Value: "")
                        : (Name: Uri.UnescapeDataString(p[..equals]).ToLowerInvariant(), Value: Uri.UnescapeDataString(p[(equals + 1)..]));
                })
                .GroupBy(p => p.Name, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal);
            foreach (var parameter in parameters)
            {
                text.Append('\n').Append(parameter.Key).Append(':')
                    .Append(string.Join(',', parameter.Select(p => p.Value).Order(StringComparer.Ordinal)));
            }
        }
        return text.ToString();
    }
}
