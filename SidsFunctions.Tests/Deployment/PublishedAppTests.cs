using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using SidsFunctions.Hosting;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.Deployment;

/// <summary>
/// `dotnet publish SidsFunctions -c Release` into a temporary folder, once for the class: the output is
/// what the Functions host runs (host.json, a folder per function, the executable host.json names, the
/// sample dataset), and the executable, started as the host starts it, serves on the port the host gives.
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
    private JsonNode HostJson => JsonNode.Parse(File.ReadAllText(Path.Combine(published.Folder, "host.json")))!;

    [Fact]
    public void ThePublishFolderIsAFunctionAppWithItsExecutableAndDataset()
    {
        var description = HostJson["customHandler"]!["description"]!;
        var executable = Path.Combine(published.Folder, description["defaultExecutablePath"]!.GetValue<string>());
        Assert.True(File.Exists(executable), $"{executable} does not exist");
        if (!OperatingSystem.IsWindows())
        {
            Assert.True(File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute), $"{executable} is not executable");
        }

        // Every function folder of the source, with its function.json, and no other.
        var sourceFunctions = Directory.EnumerateFiles(Repository.PathOf("SidsFunctions"), "function.json", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Repository.PathOf("SidsFunctions"), p))
            .Where(p => !p.StartsWith("bin", StringComparison.Ordinal) && !p.StartsWith("obj", StringComparison.Ordinal))
            .Select(p => Path.GetDirectoryName(p)!).Order(StringComparer.Ordinal).ToArray();
        var publishedFunctions = Directory.EnumerateDirectories(published.Folder)
            .Where(d => File.Exists(Path.Combine(d, "function.json"))).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Contains("Platform", publishedFunctions);
        Assert.Equal(sourceFunctions, publishedFunctions);
        foreach (var function in publishedFunctions)
        {
            Assert.Equal(File.ReadAllText(Repository.PathOf("SidsFunctions", function!, "function.json")),
                File.ReadAllText(Path.Combine(published.Folder, function!, "function.json")));
        }

        var datasets = Directory.EnumerateFiles(Path.Combine(published.Folder, "datasets")).Select(Path.GetFileName);
        Assert.Equal(["datasetMeta.csv", "indicatorData.csv", "indicatorMeta.csv"], datasets.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheHandlerStartedAsTheHostStartsItServesOnTheGivenPortAndStopsCleanly()
    {
        Assert.False(OperatingSystem.IsWindows(), "the test stops the handler with SIGTERM, as the host on Linux does");
        var port = FreePort();
        var description = HostJson["customHandler"]!["description"]!;
        var workingDirectory = description["workingDirectory"]?.GetValue<string>() is { Length: > 0 } relative
            ? Path.Combine(published.Folder, relative) : published.Folder;
        var arguments = description["arguments"]?.AsArray().Select(a => a!.GetValue<string>()
            .Replace($"%{SettingNames.CustomHandlerPort}%", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)) ?? [];
        var start = new ProcessStartInfo(Path.Combine(published.Folder, description["defaultExecutablePath"]!.GetValue<string>()))
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Only what the host gives: the port. The rest of this machine's settings must not leak in.
        foreach (var name in SettingNames.All.Concat(["ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT"]))
        {
            start.Environment.Remove(name);
        }
        start.Environment[SettingNames.CustomHandlerPort] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // A framework-dependent apphost finds the runtime that runs these tests.
        if (!start.Environment.ContainsKey("DOTNET_ROOT"))
        {
            start.Environment["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        }

        using var process = Process.Start(start)!;
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            var root = await WaitForAnswerAsync(client, "/", process, log);
            Assert.Equal(HttpStatusCode.OK, root.StatusCode);
            Assert.Equal("Hello SIDS ML Backend V10!", (await root.ReadJsonAsync())!["message"]!.GetValue<string>());

            var ready = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            var readiness = (await ready.ReadJsonAsync())!;
            Assert.Equal("ready", readiness["status"]!.GetValue<string>());
            Assert.Equal($"folder {Path.Combine(published.Folder, "datasets")}", readiness["dataset"]!.GetValue<string>());

            Assert.Equal(0, Kill(process.Id, Sigterm));
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(20)), "the handler did not stop within 20 s of SIGTERM");
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}\n{log}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<HttpResponseMessage> WaitForAnswerAsync(HttpClient client, string path, Process process, StringBuilder log)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(process.HasExited, $"the handler exited ({(process.HasExited ? process.ExitCode : 0)}):\n{log}");
            try
            {
                return await client.GetAsync(path);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
