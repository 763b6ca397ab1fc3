using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Storage.Blobs;
using SidsFunctions.Storage;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.Storage;

/// <summary>
/// Azurite (npm <c>azurite</c>, the Azure Storage emulator) run by the tests on a free loopback port with a
/// workspace of its own; stopped and started again on the same port and workspace for outage tests.
/// <c>AZURITE_BLOB</c> names an azurite-blob to use; otherwise the pinned <see cref="Version"/> is installed
/// once into the git-ignored <c>.ci/node</c> (npm) and reused (see <see cref="AzuriteInstall"/>).
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    /// <summary>The Azurite the storage tests run against (its newest API version is the app's service version).</summary>
    public const string Version = "3.35.0";

    public const string DevelopmentAccount = "devstoreaccount1";

    /// <summary>Azurite's published development key (not a secret: every emulator has it).</summary>
    public const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

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

    public Uri BlobEndpoint => new($"http://127.0.0.1:{Port}/{DevelopmentAccount}");

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={DevelopmentAccount};AccountKey={DevelopmentKey};BlobEndpoint={BlobEndpoint};";

    /// <summary>A client of this Azurite, with the app's options; retries kept short so failures show quickly.</summary>
    public AzureBlobStore Store(int maxRetries = 1) =>
        new(new BlobServiceClient(ConnectionString, AzureBlobStore.Options(maxRetries: maxRetries, retryDelay: TimeSpan.FromMilliseconds(50))));

    public static async Task<Azurite> StartAsync()
    {
        var azurite = new Azurite(await AzuriteInstall.ExecutableAsync(), FreePort());
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

/// <summary>One Azurite shared by a test class (each test uses containers of its own).</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Azurite? azurite;

    public Azurite Azurite => azurite ?? throw new InvalidOperationException("Azurite did not start");

    public async Task InitializeAsync() => azurite = await Azurite.StartAsync();

    public async Task DisposeAsync()
    {
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }
}

/// <summary>
/// Finds the azurite-blob the tests run: <c>AZURITE_BLOB</c> when set, else the pinned version in
/// <c>.ci/node</c>, installed there with npm when it is not (once: test classes starting together wait for
/// one install, in this process by a shared task and across processes by a lock file). Without npm the
/// storage tests fail saying so; they are never skipped.
/// </summary>
public static class AzuriteInstall
{
    private static readonly Lazy<Task<string>> Executable = new(FindOrInstallAsync);

    public static string Prefix => Repository.PathOf(".ci", "node");

    public static Task<string> ExecutableAsync() => Executable.Value;

    private static async Task<string> FindOrInstallAsync()
    {
        if (Environment.GetEnvironmentVariable("AZURITE_BLOB") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : throw new InvalidOperationException($"AZURITE_BLOB is '{configured}': no such file");
        }
        var executable = Path.Combine(Prefix, "node_modules", ".bin", "azurite-blob");
        if (IsPinnedVersion())
        {
            return executable;
        }
        Directory.CreateDirectory(Prefix);
        await using var installLock = await LockAsync(Path.Combine(Prefix, ".install.lock"));
        if (IsPinnedVersion())
        {
            return executable; // another process installed it while this one waited
        }
        var npm = new ProcessStartInfo("npm") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "install", "--prefix", Prefix, $"azurite@{Azurite.Version}", "--no-audit", "--no-fund", "--no-save", "--loglevel=error" })
        {
            npm.ArgumentList.Add(argument);
        }
        Process installer;
        try
        {
            installer = Process.Start(npm)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"The storage tests run against Azurite {Azurite.Version}, installed with npm into {Prefix}, but npm cannot be started ({e.Message}): " +
                "install Node.js with npm, or set AZURITE_BLOB to an azurite-blob executable.", e);
        }
        using (installer)
        {
            var output = installer.StandardOutput.ReadToEndAsync();
            var errors = installer.StandardError.ReadToEndAsync();
            await installer.WaitForExitAsync();
            if (installer.ExitCode != 0 || !IsPinnedVersion())
            {
                throw new InvalidOperationException(
                    $"npm install azurite@{Azurite.Version} into {Prefix} failed (exit {installer.ExitCode}): {(await errors + await output).Trim()}");
            }
        }
        return executable;
    }

    private static bool IsPinnedVersion()
    {
        var package = Path.Combine(Prefix, "node_modules", "azurite", "package.json");
        if (!File.Exists(package) || !File.Exists(Path.Combine(Prefix, "node_modules", ".bin", "azurite-blob")))
        {
            return false;
        }
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(package));
        return json.RootElement.TryGetProperty("version", out var version) && version.GetString() == Azurite.Version;
    }

    /// <summary>An exclusive lock file (released on dispose): another test process installing holds it until done.</summary>
    private static async Task<FileStream> LockAsync(string path)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < TimeSpan.FromMinutes(5))
            {
                await Task.Delay(200);
            }
        }
    }
}

/// <summary>A fresh container name per test.</summary>
public static class Names
{
    public static string Container(string purpose) => $"{purpose}-{Guid.NewGuid():N}"[..Math.Min(63, purpose.Length + 33)];
}
