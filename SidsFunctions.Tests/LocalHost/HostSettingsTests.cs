using System.Collections;
using SidsFunctions.LocalHost;

namespace SidsFunctions.Tests.LocalHost;

public sealed class HostSettingsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("localhost-settings-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Folder(string name, string? settingsJson)
    {
        string dir = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        if (settingsJson is not null) File.WriteAllText(Path.Combine(dir, HostSettings.FileName), settingsJson);
        return dir;
    }

    [Fact]
    public void EnvironmentWinsOverTheCurrentDirectoryWhichWinsOverTheScriptRoot()
    {
        string scriptRoot = Folder("out", """{ "Values": { "A": "root", "B": "root", "C": "root", "N": 5, "T": true } }""");
        string project = Folder("project", """{ "IsEncrypted": false, "Values": { "B": "project", "C": "project" } }""");
        var settings = HostSettings.Load(scriptRoot, project, new Hashtable { ["C"] = "env" });
        Assert.Equal("root", settings["A"]);
        Assert.Equal("project", settings["B"]);
        Assert.Equal("env", settings["C"]);
        Assert.Equal("5", settings["N"]);
        Assert.Equal("true", settings["T"]);
        Assert.Equal(2, settings.Sources.Count);
    }

    [Fact]
    public void NoFileMeansTheEnvironmentOnly()
    {
        var settings = HostSettings.Load(Folder("a", null), Folder("b", null), new Hashtable { ["X"] = "1" });
        Assert.Equal("1", settings["X"]);
        Assert.Empty(settings.Sources);
    }

    [Fact]
    public void AnInvalidFileIsAnErrorNamingIt()
    {
        string dir = Folder("bad", "{ \"Values\": ");
        var ex = Assert.Throws<HostStartupException>(() => HostSettings.Load(dir, dir, new Hashtable()));
        Assert.Contains(Path.Combine(dir, HostSettings.FileName), ex.Message);
    }

    [Fact]
    public void PercentReferencesResolveAndMissingOnesAreNamed()
    {
        var settings = new HostSettings(new Dictionary<string, string> { ["SCHEDULE"] = "0 */5 * * * *", ["X"] = "x" });
        Assert.Equal("0 */5 * * * *", settings.Resolve("%SCHEDULE%", out var missing));
        Assert.Null(missing);
        Assert.Equal("a-x-b", settings.Resolve("a-%X%-b", out _));
        settings.Resolve("%NOPE%", out missing);
        Assert.Equal("NOPE", missing);
        Assert.Equal("no refs", settings.Resolve("no refs", out missing));
        Assert.Null(missing);
    }
}
