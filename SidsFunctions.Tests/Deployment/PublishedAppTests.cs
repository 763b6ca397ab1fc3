using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SidsFunctions.Hosting;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.Deployment;

/// <summary>
/// `dotnet publish SidsFunctions -c Release` into a temporary folder, once for the class: the output is
/// the dotnet-isolated function app Azure runs (host.json, functions.metadata, worker.config.json, the
/// worker and the sample dataset), and it serves under the Functions host.
/// </summary>
public sealed class PublishedAppFixture : IDisposable
{
    public PublishedAppFixture()
    {
        Folder = Directory.CreateTempSubdirectory("sids-publish-").FullName;
        var (exitCode, output) = Run(DotnetExecutable(), $"publish \"{Repository.PathOf("SidsFunctions", "SidsFunctions.csproj")}\" -c Release -o \"{Folder}\" -nologo --disable-build-servers", Repository.Root);
        Assert.True(exitCode == 0, $"dotnet publish failed ({exitCode}):\n{output}");
    }

    public string Folder { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    /// <summary>The dotnet that runs these tests (DOTNET_HOST_PATH under `dotnet test`), else the one on PATH.</summary>
    public static string DotnetExecutable() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    // Runs to completion. MSBuild's variables of the surrounding `dotnet test` would steer the nested build.
    private static (int ExitCode, string Output) Run(string file, string arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            start.Environment.Remove(name);
        }
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => output.AppendLine(e.Data);
        process.ErrorDataReceived += (_, e) => output.AppendLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, output + "\n(timed out after 5 minutes)");
        }
        process.WaitForExit();
        return (process.ExitCode, output.ToString());
    }
}

[Trait("Category", "Deployment")]
public sealed class PublishedAppTests(PublishedAppFixture published) : IClassFixture<PublishedAppFixture>
{
    [Fact]
    public void ThePublishFolderIsADotnetIsolatedFunctionAppWithEveryFunctionAndNothingLocal()
    {
        SidsFunctions.Tests.Platform.FunctionAppLayout.AssertIsTheFunctionApp(published.Folder);
        Assert.True(File.Exists(Path.Combine(published.Folder, "extensions.json")), "extensions.json (the host's binding extensions)");
        // The local host and a developer's settings never ship.
        Assert.Empty(Directory.EnumerateFiles(published.Folder, "SidsFunctions.LocalHost*", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(published.Folder, "local.settings.json")));
    }

    /// <summary>
    /// The GC settings travel in the app's runtime configuration, so that Flex Consumption, the container and a local
    /// run size the heap alike: workstation, non-concurrent, a 2 MB large-object threshold, and a gen-0 budget capped
    /// at 16 MB (uncapped, the budget follows the processor's L3: on a 260 MB-L3 Xeon the worker held 228 MB, 152 MB capped).
    /// </summary>
    [Fact]
    public void ThePublishedRuntimeConfigurationCarriesTheGcSettings()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(published.Folder, "SidsFunctions.runtimeconfig.json")))!;
        var properties = config["runtimeOptions"]!["configProperties"]!;
        Assert.False(properties["System.GC.Server"]!.GetValue<bool>());
        Assert.False(properties["System.GC.Concurrent"]!.GetValue<bool>());
        Assert.Equal(2097152, properties["System.GC.LOHThreshold"]!.GetValue<long>());
        Assert.Equal(16777216, properties["System.GC.Gen0MaxBudget"]!.GetValue<long>());
    }

    [Fact]
    public async Task ThePublishedAppServesUnderTheFunctionsHost()
    {
        await using var app = new ConfiguredAppFactory(new Dictionary<string, string?> { [SettingNames.DatasetPath] = null }, published.Folder);
        using var client = app.CreateClient();
        var root = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal("Hello SIDS ML Backend V10!", (await root.ReadJsonAsync())!["message"]!.GetValue<string>());

        await app.DatasetLoaded;
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var readiness = (await ready.ReadJsonAsync())!;
        Assert.Equal("ready", readiness["status"]!.GetValue<string>());
        Assert.Equal($"folder {Path.Combine(published.Folder, "datasets")}", readiness["dataset"]!.GetValue<string>());
    }
}
