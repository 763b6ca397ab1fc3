using System.Text;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using SidsFunctions.Storage;

namespace SidsFunctions.Tests.Storage;

/// <summary>The Azure SDK store against Azurite: the store contract, authorisation, listing pages, failures.</summary>
public sealed class AzureBlobStoreTests(AzuriteFixture fixture) : BlobStoreContractTests, IClassFixture<AzuriteFixture>
{
    protected override IBlobStore Store => fixture.Azurite.Store();

    [Fact]
    public async Task AzuriteAcceptsTheAccountKeyAndRefusesAWrongOne()
    {
        var container = Names.Container("auth");
        Assert.True((await fixture.Azurite.Store().PutAsync(container, "x", "x"u8.ToArray())).Written);

        var wrongKey = Convert.ToBase64String(Encoding.UTF8.GetBytes("not the account key, but 64 bytes long to look like one........."));
        var impostor = new AzureBlobStore(new BlobServiceClient(
            $"AccountName={Azurite.DevelopmentAccount};AccountKey={wrongKey};BlobEndpoint={fixture.Azurite.BlobEndpoint}", AzureBlobStore.Options(maxRetries: 0)));
        var refused = await Assert.ThrowsAsync<BlobStorageException>(() => impostor.GetAsync(container, "x"));
        Assert.Equal(403, refused.Status);
        Assert.DoesNotContain(wrongKey, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListingFollowsContinuationMarkers()
    {
        var container = Names.Container("pages");
        var store = new AzureBlobStore(fixture.Azurite.Store().Service) { ListPageSize = 3 };
        var names = Enumerable.Range(0, 10).Select(i => $"p/{i:00}").ToArray();
        foreach (var name in names)
        {
            await store.PutAsync(container, name, Encoding.UTF8.GetBytes(name));
        }
        Assert.Equal(names, (await store.ListAsync(container, "p/")).Select(b => b.Name));
    }

    [Fact]
    public async Task AppendingTooLargeABlockIsRefusedBeforeSending()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            fixture.Azurite.Store().AppendAsync(Names.Container("big"), "x", new byte[IBlobStore.MaxAppendBlockBytes + 1]));
    }

    [Fact]
    public void UseDevelopmentStorageIsAzuritesAccount()
    {
        var store = (AzureBlobStore)StorageSettings.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection([new("AzureWebJobsStorage", "UseDevelopmentStorage=true")]).Build()).CreateStore();
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1", store.Endpoint);
        Assert.Equal("Azure Blob Storage http://127.0.0.1:10000/devstoreaccount1", store.Description);
    }

    [Fact]
    public async Task AnUnreachableEndpointIsABlobStorageExceptionAfterRetries()
    {
        var store = new AzureBlobStore(new BlobServiceClient(
            $"AccountName={Azurite.DevelopmentAccount};AccountKey={Azurite.DevelopmentKey};BlobEndpoint=http://127.0.0.1:9/{Azurite.DevelopmentAccount}",
            AzureBlobStore.Options(maxRetries: 1, retryDelay: TimeSpan.FromMilliseconds(10))));
        var failure = await Assert.ThrowsAsync<BlobStorageException>(() => store.GetAsync("c-unreachable", "b"));
        Assert.Equal(0, failure.Status);
        Assert.Contains("(2 attempts)", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Azurite.DevelopmentKey, failure.Message, StringComparison.Ordinal);
    }
}
