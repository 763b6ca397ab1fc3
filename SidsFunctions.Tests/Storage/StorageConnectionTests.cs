using Azure.Core;
using Azure.Core.Pipeline;
using SidsFunctions.Storage;

namespace SidsFunctions.Tests.Storage;

/// <summary>Connection strings and the canonical request that Shared Key signs (the service's documented layout).</summary>
public sealed class StorageConnectionTests
{
    [Fact]
    public void DevelopmentStorageIsAzuritesWellKnownAccount()
    {
        var connection = StorageConnection.Parse("UseDevelopmentStorage=true");
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1", connection.BlobEndpoint.AbsoluteUri.TrimEnd('/'));
        Assert.Equal("devstoreaccount1", connection.AccountName);
        Assert.Equal(Convert.FromBase64String(StorageConnection.DevelopmentAccountKey), connection.AccountKey);
    }

    [Fact]
    public void AnAccountConnectionStringNamesItsEndpointFromProtocolAccountAndSuffix()
    {
        var connection = StorageConnection.Parse("DefaultEndpointsProtocol=https;AccountName=sidsml;AccountKey=AAAA;EndpointSuffix=core.usgovcloudapi.net");
        Assert.Equal("https://sidsml.blob.core.usgovcloudapi.net/", connection.BlobEndpoint.AbsoluteUri);
        Assert.Equal([0, 0, 0], connection.AccountKey);
    }

    [Fact]
    public void AnExplicitBlobEndpointWinsAndASasNeedsNoKey()
    {
        var connection = StorageConnection.Parse("BlobEndpoint=https://x.example.net/;SharedAccessSignature=?sv=2025-05-05&sig=abc");
        Assert.Equal("https://x.example.net/", connection.BlobEndpoint.AbsoluteUri);
        Assert.Null(connection.AccountKey);
        Assert.Equal("sv=2025-05-05&sig=abc", connection.SharedAccessSignature);
    }

    [Theory]
    [InlineData("AccountName=a", "neither AccountKey nor SharedAccessSignature")]
    [InlineData("AccountKey=AAAA", "names neither AccountName nor BlobEndpoint")]
    [InlineData("AccountName=a;AccountKey=not base64!", "AccountKey is not base64")]
    [InlineData("garbage", "without 'Name=Value'")]
    public void BadConnectionStringsSayWhatIsWrongWithoutTheKey(string connectionString, string message)
    {
        var error = Assert.Throws<FormatException>(() => StorageConnection.Parse(connectionString));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AAAA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheStringToSignFollowsTheSharedKeyLayout()
    {
        var pipeline = HttpPipelineBuilder.Build(new BlobPipelineOptions());
        using var message = pipeline.CreateMessage();
        var request = message.Request;
        request.Method = RequestMethod.Put;
        request.Uri.Reset(new Uri("http://127.0.0.1:10000/devstoreaccount1/data/a%20b.json?comp=appendblock&B=2&b=1"));
        request.Headers.SetValue("x-ms-version", "2025-05-05");
        request.Headers.SetValue("X-MS-Date", "Sun, 22 Nov 2026 00:00:00 GMT");
        request.Headers.SetValue("If-Match", "\"0x1\"");
        request.Headers.SetValue("Content-Type", "application/json");
        request.Content = RequestContent.Create(new byte[] { 1, 2, 3 });

        var expected = string.Join('\n',
            "PUT", "", "", "3", "", "application/json", "", "", "\"0x1\"", "", "", "",
            "x-ms-date:Sun, 22 Nov 2026 00:00:00 GMT",
            "x-ms-version:2025-05-05",
            "/devstoreaccount1/devstoreaccount1/data/a%20b.json",
            "b:1,2",
            "comp:appendblock");
        Assert.Equal(expected, SharedKeyPolicy.StringToSign(request, "devstoreaccount1"));
    }
}
