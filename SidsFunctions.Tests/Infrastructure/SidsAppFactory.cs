using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace SidsFunctions.Tests.Infrastructure;

/// <summary>
/// The built app (SidsFunctions' build output) running as Azure runs it: the worker process under the
/// project's local Functions host, which speaks the host–worker gRPC protocol and forwards HTTP to the
/// worker. Tests talk HTTP to the host and read what the processes log.
/// <para>
/// <c>new SidsAppFactory()</c> (an <see cref="IClassFixture{TFixture}"/> of most classes) shares ONE app
/// with the default settings across the test run; a subclass passing settings gets an app of its own
/// (settings are the host's environment, which the worker inherits, as app settings are in Azure).
/// Either way: the built-in sample dataset, a storage folder of its own, on a free port.
/// </para>
/// </summary>
public partial class SidsAppFactory : IDisposable, IAsyncDisposable
{
    private static readonly Lazy<LocalApp> SharedApp = new(() => LocalApp.Start(new Dictionary<string, string?>(), BuiltApp.ScriptRoot));

    private readonly LocalApp app;
    private readonly bool owned;

    public SidsAppFactory()
    {
        app = SharedApp.Value;
    }

    protected SidsAppFactory(IReadOnlyDictionary<string, string?> settings, string? scriptRoot = null)
    {
        app = LocalApp.Start(settings, scriptRoot ?? BuiltApp.ScriptRoot);
        owned = true;
    }

    /// <summary>The sample dataset shipped with the app (copied beside the tests by the build).</summary>
    public static string SampleDatasetFolder => Path.Combine(AppContext.BaseDirectory, "datasets");

    /// <summary>Where the app's settings put it: the host's address, its storage folder.</summary>
    public Uri BaseAddress => app.BaseAddress;

    /// <summary>The folder standing in for blob storage (LOCAL_STORAGE_PATH), unless a test named other storage.</summary>
    public string StorageFolder => app.Settings["LOCAL_STORAGE_PATH"]!;

    /// <summary>Every line the host and the worker wrote so far (the worker's logs come through the host).</summary>
    public IReadOnlyList<string> Logs => app.Lines;

    public HttpClient CreateClient() => new() { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };

    /// <summary>Completes when the dataset has loaded (it loads in the background; readiness is 503 until then).</summary>
    public Task DatasetLoaded => app.WaitForLogAsync(l => l.Contains("Dataset ", StringComparison.Ordinal) && l.Contains(" loaded from ", StringComparison.Ordinal)
                                                          || l.Contains("not loading it", StringComparison.Ordinal)
                                                          || l.Contains("Dataset unavailable", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

    /// <summary>The first line (from now or before) that <paramref name="match"/> accepts, waiting for it up to <paramref name="timeout"/>.</summary>
    public Task<string> WaitForLogAsync(Func<string, bool> match, TimeSpan? timeout = null) => app.WaitForLogAsync(match, timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>The distinct log messages from <paramref name="marker"/> on (each appears once per source that printed it).</summary>
    public IReadOnlyList<string> Messages(string marker) => app.Lines
        .Select(l => l.IndexOf(marker, StringComparison.Ordinal) is var i and >= 0 ? l[i..] : null)
        .OfType<string>()
        .Distinct(StringComparer.Ordinal)
        .ToArray();

    public void Dispose()
    {
        if (owned)
        {
            app.Dispose();
        }
        GC.SuppressFinalize(this);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>One local host process and its worker.</summary>
    private sealed partial class LocalApp : IDisposable
    {
        private readonly Process process;
        private readonly ConcurrentQueue<string> lines = new();
        private readonly TaskCompletionSource<Uri> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private event Action<string>? LineWritten;
        private readonly string? ownStorage;

        private LocalApp(Process process, IReadOnlyDictionary<string, string?> settings, string? ownStorage)
        {
            this.process = process;
            this.ownStorage = ownStorage;
            Settings = settings;
        }

        public IReadOnlyDictionary<string, string?> Settings { get; }

        public Uri BaseAddress { get; private set; } = null!;

        public IReadOnlyList<string> Lines => lines.ToArray();

        [GeneratedRegex(@"Functions host ready on (http://\S+)")]
        private static partial Regex ReadyLine();

        public static LocalApp Start(IReadOnlyDictionary<string, string?> overrides, string scriptRoot)
        {
            var settings = new Dictionary<string, string?>
            {
                ["DATASET_PATH"] = SampleDatasetFolder,
                ["TIME_ESTIMATE_SCHEDULE"] = "0 0 0 1 1 *", // the tests run the timer through the admin API
            };
            foreach (var (key, value) in overrides)
            {
                settings[key] = value;
            }
            // A storage folder of its own, which goes with the host, unless the test named the storage.
            var ownStorage = settings.ContainsKey("LOCAL_STORAGE_PATH") ? null : TemporaryFolder.Create("sids-storage-");
            if (ownStorage is not null)
            {
                settings["LOCAL_STORAGE_PATH"] = ownStorage;
            }
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                // Never the test run's terminal: a host left behind by a killed test process would stop on it
                // (SIGTTIN) instead of noticing its parent is gone and exiting.
                RedirectStandardInput = true,
                UseShellExecute = false,
                // Not the app's folder: the host would read a developer's local.settings.json there.
                WorkingDirectory = Path.GetTempPath(),
            };
            start.ArgumentList.Add(BuiltApp.LocalHost);
            start.ArgumentList.Add("--script-root");
            start.ArgumentList.Add(scriptRoot);
            start.ArgumentList.Add("--port");
            start.ArgumentList.Add("0");
            foreach (var (key, value) in settings)
            {
                if (value is null)
                {
                    start.Environment.Remove(key);
                }
                else
                {
                    start.Environment[key] = value;
                }
            }
            var app = new LocalApp(new Process { StartInfo = start, EnableRaisingEvents = true }, settings, ownStorage);
            app.Run();
            return app;
        }

        private void Run()
        {
            process.OutputDataReceived += (_, e) => Add(e.Data);
            process.ErrorDataReceived += (_, e) => Add(e.Data);
            process.Exited += (_, _) =>
            {
                // The output read so far may lag the exit: wait for both streams to end, so the message holds the last lines.
                process.WaitForExit();
                ready.TrySetException(new InvalidOperationException(
                    $"The local host exited ({process.ExitCode}) before it was ready:{Environment.NewLine}{string.Join(Environment.NewLine, lines.TakeLast(100))}"));
            };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
            try
            {
                BaseAddress = ready.Task.WaitAsync(TimeSpan.FromSeconds(90)).GetAwaiter().GetResult();
            }
            catch (TimeoutException)
            {
                Stop();
                throw new TimeoutException($"The local host did not get ready in 90 s:{Environment.NewLine}{string.Join(Environment.NewLine, lines.TakeLast(40))}");
            }
        }

        private void Add(string? line)
        {
            if (line is null)
            {
                return;
            }
            lines.Enqueue(line);
            if (ReadyLine().Match(line) is { Success: true } match)
            {
                ready.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
            }
            LineWritten?.Invoke(line);
        }

        public async Task<string> WaitForLogAsync(Func<string, bool> match, TimeSpan timeout)
        {
            var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            void Check(string line)
            {
                if (match(line))
                {
                    found.TrySetResult(line);
                }
            }
            LineWritten += Check;
            try
            {
                foreach (var line in lines)
                {
                    Check(line);
                }
                return await found.Task.WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"No such log line in {timeout.TotalSeconds:0} s; the last lines:{Environment.NewLine}{string.Join(Environment.NewLine, lines.TakeLast(30))}");
            }
            finally
            {
                LineWritten -= Check;
            }
        }

        private void Stop()
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
                // never started, or already gone
            }
            if (ownStorage is not null)
            {
                TemporaryFolder.Delete(ownStorage);
            }
        }

        public void Dispose()
        {
            Stop();
            process.Dispose();
        }
    }
}

/// <summary>An app of its own with the given settings (storage, dataset, limits), on the sample dataset unless they say otherwise.</summary>
public sealed class ConfiguredAppFactory(IReadOnlyDictionary<string, string?> settings, string? scriptRoot = null) : SidsAppFactory(settings, scriptRoot);

/// <summary>Where the build put the app and the local host (the test project builds both).</summary>
public static class BuiltApp
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    /// <summary>SidsFunctions' build output: the function app folder (host.json, functions.metadata, worker.config.json).</summary>
    public static string ScriptRoot { get; } = Repository.PathOf("SidsFunctions", "bin", Configuration, "net10.0");

    /// <summary>The local Functions host (SIDS_LOCAL_HOST names another build of it).</summary>
    public static string LocalHost { get; } = Environment.GetEnvironmentVariable("SIDS_LOCAL_HOST") is { Length: > 0 } path
        ? path
        : Repository.PathOf("SidsFunctions.LocalHost", "bin", Configuration, "net10.0", "SidsFunctions.LocalHost.dll");
}
