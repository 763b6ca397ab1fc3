using System.Text;
using SidsFunctions.Storage;

namespace SidsFunctions.Tests.Storage;

/// <summary>The local-folder store (the default with no storage configured) keeps the same contract.</summary>
public sealed class FolderBlobStoreTests : BlobStoreContractTests, IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("folder-store-").FullName;

    protected override IBlobStore Store => new FolderBlobStore(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task AContainerMappedToAFolderIsThatFolderItself()
    {
        var datasets = Directory.CreateDirectory(Path.Combine(root, "my-dataset")).FullName;
        await File.WriteAllTextAsync(Path.Combine(datasets, "time_consumption"), "{\"value\":[]}");
        var store = new FolderBlobStore(Path.Combine(root, "elsewhere"), new Dictionary<string, string> { ["datasets"] = datasets });

        Assert.Equal("{\"value\":[]}", Encoding.UTF8.GetString((await store.GetAsync("datasets", "time_consumption")).Content!));
        Assert.True((await store.PutAsync("datasets", "new.txt", "x"u8.ToArray())).Written);
        Assert.True(File.Exists(Path.Combine(datasets, "new.txt")));
        Assert.True((await store.PutAsync("telemetry", "durations/d.jsonl", "y"u8.ToArray())).Written);
        Assert.True(File.Exists(Path.Combine(root, "elsewhere", "telemetry", "durations", "d.jsonl")));
    }

    [Fact]
    public async Task TheETagFollowsTheContent()
    {
        var store = new FolderBlobStore(root);
        var first = await store.PutAsync("c-etag", "f", "same"u8.ToArray());
        var path = store.BlobPath("c-etag", "f");
        await File.WriteAllTextAsync(path, "changed by hand");
        var changed = await store.GetAsync("c-etag", "f", BlobConditions.ChangedSince(first.ETag!));
        Assert.Equal(BlobReadStatus.Found, changed.Status);
        Assert.NotEqual(first.ETag, changed.ETag);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/../../escape")]
    [InlineData("/rooted")]
    [InlineData("a//b")]
    public async Task NamesThatWouldLeaveTheFolderAreRefused(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => new FolderBlobStore(root).PutAsync("c-names", name, "x"u8.ToArray()));
    }

    [Fact]
    public async Task AFolderThatCannotBeWrittenIsABlobStorageException()
    {
        var file = Path.Combine(root, "a-file");
        await File.WriteAllTextAsync(file, "not a folder");
        var store = new FolderBlobStore(file);
        await Assert.ThrowsAsync<BlobStorageException>(() => store.AppendAsync("c-fail", "x", "y"u8.ToArray()));
    }
}
