using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SidsFunctions.Storage;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.Storage;

/// <summary>
/// Azurite (npm <c>azurite</c>, the Azure Storage emulator) run by the tests on a free loopback port with a
/// workspace of its own; stopped and started again on the same port and workspace for outage tests.
/// Found through <c>AZURITE_BLOB</c> (set by .ci/run), then <c>.ci/node/node_modules/.bin/azurite-blob</c>,
/// then PATH.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    public const string NotInstalled =
        "Azurite is not installed: .ci/run installs it (npm install --prefix .ci/node azurite), or set AZURITE_BLOB to azurite-blob";

    private readonly string executable;
    private readonly string workspace;
    private Process? process;

    private Azurite(string executable, int port)
    {
        this.executable = executable;
        Port = port;
        workspace = Directory.CreateTempSubdirectory("azurite-").FullName;
    }

    public int Port { get; }

    public Uri BlobEndpoint => new($"http://127.0.0.1:{Port}/{StorageConnection.DevelopmentAccountName}");

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={StorageConnection.DevelopmentAccountName};AccountKey={StorageConnection.DevelopmentAccountKey};BlobEndpoint={BlobEndpoint};";

    /// <summary>A client of this Azurite; retries kept short so failures show quickly.</summary>
    public HttpBlobStore Store(int maxRetries = 1) =>
        HttpBlobStore.FromConnectionString(ConnectionString, new BlobPipelineOptions { Retry = { MaxRetries = maxRetries, Delay = TimeSpan.FromMilliseconds(50) } });

    public static string? FindExecutable()
    {
        if (Environment.GetEnvironmentVariable("AZURITE_BLOB") is { Length: > 0 } configured && File.Exists(configured))
        {
            return configured;
        }
        var local = Repository.PathOf(".ci", "node", "node_modules", ".bin", "azurite-blob");
        if (File.Exists(local))
        {
            return local;
        }
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "azurite-blob"))
            .FirstOrDefault(File.Exists);
    }

    public static async Task<Azurite> StartAsync()
    {
        var executable = FindExecutable() ?? throw new InvalidOperationException(NotInstalled);
        var azurite = new Azurite(executable, FreePort());
        await azurite.StartAgainAsync();
        return azurite;
    }

    /// <summary>Starts the emulator (again, after <see cref="StopAsync"/>) and waits until it answers.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--location", workspace, "--silent", "--disableTelemetry" })
        {
            start.ArgumentList.Add(argument);
        }
        process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {executable}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with {process.ExitCode} before answering on port {Port}");
            }
            try
            {
                // Any answer (403: no authorisation) means it is up.
                using var response = await client.GetAsync($"{BlobEndpoint}?comp=list");
                return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Azurite did not answer on port {Port} within 60 s");
    }

    /// <summary>
    /// Stops the emulator (storage down); its workspace stays for <see cref="StartAgainAsync"/>. Killed, Azurite
    /// forgets the blobs written since its last autosave (its metadata lives in memory in between), which real
    /// storage never does with acknowledged writes; <paramref name="graceful"/> stops it as a service stops
    /// (SIGTERM), so that it keeps what it acknowledged.
    /// </summary>
    public async Task StopAsync(bool graceful = false)
    {
        if (process is { HasExited: false } running)
        {
            if (graceful)
            {
                using var term = Process.Start("kill", ["-TERM", running.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await term!.WaitForExitAsync();
                var stopped = running.WaitForExitAsync();
                if (await Task.WhenAny(stopped, Task.Delay(TimeSpan.FromSeconds(20))) != stopped)
                {
                    running.Kill(entireProcessTree: true);
                }
            }
            else
            {
                running.Kill(entireProcessTree: true);
            }
            await running.WaitForExitAsync();
        }
        process?.Dispose();
        process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(workspace, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A test that needs Azurite; skipped, saying why, only when Azurite is not installed.</summary>
public sealed class AzuriteFactAttribute : FactAttribute
{
    public AzuriteFactAttribute()
    {
        if (Azurite.FindExecutable() is null)
        {
            Skip = Azurite.NotInstalled;
        }
    }
}

/// <summary>One Azurite shared by a test class (each test uses containers of its own).</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Azurite? azurite;

    public Azurite Azurite => azurite ?? throw new InvalidOperationException(Azurite.NotInstalled);

    public async Task InitializeAsync()
    {
        if (Azurite.FindExecutable() is not null)
        {
            azurite = await Azurite.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }
}

/// <summary>A fresh container name per test.</summary>
public static class Names
{
    public static string Container(string purpose) => $"{purpose}-{Guid.NewGuid():N}"[..Math.Min(63, purpose.Length + 33)];
}
