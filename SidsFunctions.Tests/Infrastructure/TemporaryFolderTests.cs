namespace SidsFunctions.Tests.Infrastructure;

/// <summary>What the tests make in the temp path goes when they are done with it; what a test names stays.</summary>
public sealed class TemporaryFolderTests
{
    [Fact]
    public async Task AnAppsOwnStorageFolderGoesWithItsHost()
    {
        string folder;
        await using (var app = new ConfiguredAppFactory(new Dictionary<string, string?>()))
        {
            folder = app.StorageFolder;
            Assert.True(Directory.Exists(folder));
        }
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task AStorageFolderTheSettingsNameIsKept()
    {
        var named = TemporaryFolder.Create("sids-named-");
        await using (var app = new ConfiguredAppFactory(new Dictionary<string, string?> { ["LOCAL_STORAGE_PATH"] = named }))
        {
            Assert.Equal(named, app.StorageFolder);
        }
        Assert.True(Directory.Exists(named));
        TemporaryFolder.Delete(named);
        Assert.False(Directory.Exists(named));
    }
}
