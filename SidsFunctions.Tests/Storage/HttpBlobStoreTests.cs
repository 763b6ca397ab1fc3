using System.Text;
using SidsFunctions.Storage;

namespace SidsFunctions.Tests.Storage;

/// <summary>The blob client against Azurite: its Shared Key signature, service version and the store contract.</summary>
public sealed class HttpBlobStoreTests(AzuriteFixture fixture) : BlobStoreContractTests, IClassFixture<AzuriteFixture>
{
    protected override IBlobStore Store => fixture.Azurite.Store();

    [AzuriteFact]
    public async Task AzuriteAcceptsTheSharedKeySignatureAndRefusesAWrongKey()
    {
        var container = Names.Container("auth");
        Assert.True(await fixture.Azurite.Store().CreateContainerIfNotExistsAsync(container));

        var wrongKey = Convert.ToBase64String(Encoding.UTF8.GetBytes("not the account key, but 64 bytes long to look like one........."));
        var impostor = HttpBlobStore.FromConnectionString(
            $"AccountName={StorageConnection.DevelopmentAccountName};AccountKey={wrongKey};BlobEndpoint={fixture.Azurite.BlobEndpoint}",
            new BlobPipelineOptions { Retry = { MaxRetries = 0 } });
        var refused = await Assert.ThrowsAsync<BlobStorageException>(() => impostor.GetAsync(container, "x"));
        Assert.Equal(403, refused.Status);
    }

    [AzuriteFact]
    public Task PutThenGet() => PutThenGetReturnsTheContentAndItsETag();

    [AzuriteFact]
    public Task Conditions() => ConditionsAreResults();

    [AzuriteFact]
    public Task Missing() => MissingBlobsAndContainersAreNotFound();

    [AzuriteFact]
    public Task EightWritersAppending() => ConcurrentWritersAppendingLoseNoRecord();

    [AzuriteFact]
    public Task Listing() => ListingFiltersByPrefixInNameOrder();

    [AzuriteFact]
    public Task Names_() => NamesWithSpacesAndNonAsciiCharactersRoundTrip();

    [AzuriteFact]
    public async Task ListingFollowsContinuationMarkers()
    {
        var container = Names.Container("pages");
        var store = new HttpBlobStore(fixture.Azurite.BlobEndpoint,
            new SharedKeyPolicy(StorageConnection.DevelopmentAccountName, Convert.FromBase64String(StorageConnection.DevelopmentAccountKey)))
        {
            ListPageSize = 3,
        };
        var names = Enumerable.Range(0, 10).Select(i => $"p/{i:00}").ToArray();
        foreach (var name in names)
        {
            await store.PutAsync(container, name, Encoding.UTF8.GetBytes(name));
        }
        Assert.Equal(names, (await store.ListAsync(container, "p/")).Select(b => b.Name));
    }

    [AzuriteFact]
    public async Task AppendingTooLargeABlockIsRefusedBeforeSending()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            fixture.Azurite.Store().AppendAsync(Names.Container("big"), "x", new byte[IBlobStore.MaxAppendBlockBytes + 1]));
    }

    [Fact]
    public async Task AnUnreachableEndpointIsABlobStorageExceptionAfterRetries()
    {
        var store = HttpBlobStore.FromConnectionString(
            $"AccountName=devstoreaccount1;AccountKey={StorageConnection.DevelopmentAccountKey};BlobEndpoint=http://127.0.0.1:9/devstoreaccount1",
            new BlobPipelineOptions { Retry = { MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(10) } });
        var failure = await Assert.ThrowsAsync<BlobStorageException>(() => store.GetAsync("c", "b"));
        Assert.Equal(0, failure.Status);
        Assert.DoesNotContain(StorageConnection.DevelopmentAccountKey, failure.Message, StringComparison.Ordinal);
    }
}
