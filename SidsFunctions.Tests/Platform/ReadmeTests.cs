using SidsFunctions.Hosting;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.Platform;

/// <summary>The README stays true to the code: its configuration table names every setting the app reads, its commands are CI's.</summary>
public sealed class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Repository.PathOf("README.md"));

    [Fact]
    public void TheConfigurationTableNamesEverySetting() =>
        Assert.All(SettingNames.All, name => Assert.Contains($"`{name}`", Readme, StringComparison.Ordinal));

    [Fact]
    public void CiRunsTheReadmesTestCommand()
    {
        const string command = "dotnet test SidsMl.sln -c Release";
        Assert.Contains(command, Readme, StringComparison.Ordinal);
        Assert.Contains(command, File.ReadAllText(Repository.PathOf(".ci", "run")), StringComparison.Ordinal);
        Assert.Contains("dotnet run --project SidsFunctions", Readme, StringComparison.Ordinal);
    }
}
