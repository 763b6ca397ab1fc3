using Microsoft.Extensions.DependencyInjection;
using System.Net;
using SidsFunctions.Hosting;
using SidsFunctions.Storage;
using SidsFunctions.Tests.AggregateTimeEstimates;
using SidsFunctions.Tests.Infrastructure;
using SidsModels.Data;

namespace SidsFunctions.Tests.Storage;

/// <summary>The dataset read from blob storage (DATASET_PATH = blob://CONTAINER/PREFIX or a blob URL), against Azurite.</summary>
public sealed class BlobDatasetSourceTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    private static readonly string[] CsvFiles = [IndicatorTableLoader.DatasetMetaFile, IndicatorTableLoader.IndicatorDataFile, IndicatorTableLoader.IndicatorMetaFile];

    private async Task<string> UploadSample(string prefix)
    {
        var container = Names.Container("data");
        var store = fixture.Azurite.Store();
        foreach (var file in CsvFiles)
        {
            await store.PutAsync(container, prefix + file, await File.ReadAllBytesAsync(Path.Combine(SidsAppFactory.SampleDatasetFolder, file)));
        }
        await store.PutAsync(container, prefix + "archive/old.csv", "x"u8.ToArray());
        await store.PutAsync(container, "elsewhere.csv", "x"u8.ToArray());
        return container;
    }

    [Fact]
    public async Task TheCsvsUnderThePrefixLoadAsTheSameTableAsTheFolder()
    {
        var container = await UploadSample("v1/");
        var source = new BlobDatasetSource(new DatasetLocation(fixture.Azurite.Store(), container, "v1/"));

        var table = source.Load();

        Assert.Equal(new FolderDatasetSource(SidsAppFactory.SampleDatasetFolder).Load().Version, table.Version);
        Assert.Equal(["archive", .. CsvFiles], source.ListFiles());
        Assert.Contains($"container '{container}' under 'v1/'", source.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingCsvIsADatasetFormatExceptionNamingIt()
    {
        var container = await UploadSample("");
        await fixture.Azurite.Store().PutAsync(container, "only/" + IndicatorTableLoader.IndicatorMetaFile, "x"u8.ToArray());
        var source = new BlobDatasetSource(new DatasetLocation(fixture.Azurite.Store(), container, "only/"));

        var error = Assert.Throws<DatasetFormatException>(() => source.Load());
        Assert.StartsWith(IndicatorTableLoader.DatasetMetaFile, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAppLoadsItsDatasetFromBlobStorageAndListsIt()
    {
        var container = await UploadSample("sids/");
        await using var factory = new ConfiguredAppFactory(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = fixture.Azurite.ConnectionString,
            ["DATASET_PATH"] = $"blob://{container}/sids",
        });
        using var client = factory.CreateClient();
        await factory.DatasetLoaded;

        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.StartsWith("blob Azure Blob Storage", (await ready.ReadJsonAsync())!["dataset"]!.GetValue<string>(), StringComparison.Ordinal);
        var files = (await (await client.GetAsync("/datasets")).ReadJsonAsync())!.AsArray().Select(f => f!.GetValue<string>());
        Assert.Equal(["archive", .. CsvFiles], files);
    }

    [Fact]
    public async Task ABlobUrlUnderTheConfiguredEndpointUsesTheAppsClient()
    {
        var container = await UploadSample("v2/");
        var store = fixture.Azurite.Store();
        var location = DatasetLocation.Parse($"{fixture.Azurite.BlobEndpoint}/{container}/v2/", store, _ => throw new InvalidOperationException("not another account"));

        Assert.Same(store, location.Store);
        Assert.Equal((container, "v2/"), (location.Container, location.Prefix));
        Assert.Equal(new FolderDatasetSource(SidsAppFactory.SampleDatasetFolder).Load().Version, new BlobDatasetSource(location).Load().Version);
    }

    [Theory]
    [InlineData("blob://datasets", "datasets", "")]
    [InlineData("blob://datasets/", "datasets", "")]
    [InlineData("blob://datasets/sids/2026", "datasets", "sids/2026/")]
    [InlineData("blob://datasets/sids/2026/", "datasets", "sids/2026/")]
    public void BlobLocationsNameAContainerAndAPrefix(string path, string container, string prefix)
    {
        var store = new FolderBlobStore(Path.GetTempPath());
        var location = DatasetLocation.Parse(path, store, _ => throw new InvalidOperationException("not another account"));
        Assert.Equal((container, prefix), (location.Container, location.Prefix));
        Assert.Same(store, location.Store);
    }

    [Fact]
    public void AnHttpsUrlOfAnotherAccountGetsAClientForThatAccount()
    {
        Uri? asked = null;
        var other = new FolderBlobStore(Path.GetTempPath());
        var location = DatasetLocation.Parse("https://sidsdata.blob.core.windows.net/datasets/sids%20v1/", new FolderBlobStore(Path.GetTempPath()),
            account => { asked = account; return other; });
        Assert.Equal(new Uri("https://sidsdata.blob.core.windows.net/"), asked);
        Assert.Same(other, location.Store);
        Assert.Equal(("datasets", "sids v1/"), (location.Container, location.Prefix));
    }

    [Theory]
    [InlineData("blob://Bad_Name/x", "does not start with a container name")]
    [InlineData("http://elsewhere.example:10000/acct/datasets", "another account needs https")]
    public void UnusableLocationsSayWhy(string path, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            DatasetLocation.Parse(path, new FolderBlobStore(Path.GetTempPath()), _ => throw new InvalidOperationException("not another account")));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains(SettingNames.DatasetPath, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/data/sids", false)]
    [InlineData("datasets", false)]
    [InlineData("blob://datasets", true)]
    [InlineData("https://a.blob.core.windows.net/c", true)]
    public void OnlyBlobFormsAreBlobLocations(string path, bool expected) => Assert.Equal(expected, DatasetLocation.IsBlobLocation(path));
}
