using System.Diagnostics;
using System.Text;

namespace SidsFunctions.Tests.LocalHost;

/// <summary>
/// Runs the built local Functions host (SidsFunctions.LocalHost.dll, copied beside the tests) as a process:
/// collects its output, waits for its ready line (<c>Functions host ready on http://127.0.0.1:N</c>) or its exit,
/// and stops it (SIGTERM, then kill) when disposed.
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    public const string ReadyPrefix = "Functions host ready on ";

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<Uri> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LocalHostProcess(Process process) => _process = process;

    public static string HostDll => Path.Combine(AppContext.BaseDirectory, "SidsFunctions.LocalHost.dll");

    /// <summary>The host's base URL once it printed its ready line.</summary>
    public Task<Uri> Ready => _ready.Task;

    /// <summary>The host's exit code once it exited.</summary>
    public Task<int> Exited => _exited.Task;

    public int Id => _process.Id;

    public string StandardOutput { get { lock (_stdout) return _stdout.ToString(); } }

    public string StandardError { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>Both streams, for assertion messages.</summary>
    public string Output => $"stdout:{Environment.NewLine}{StandardOutput}{Environment.NewLine}stderr:{Environment.NewLine}{StandardError}";

    /// <summary>Starts the host with <paramref name="arguments"/> (e.g. --script-root DIR --port 0).</summary>
    public static LocalHostProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } p ? p : "dotnet";
        var psi = new ProcessStartInfo(dotnet)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add(HostDll);
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var host = new LocalHostProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (host._stdout) host._stdout.AppendLine(e.Data);
            if (e.Data.StartsWith(ReadyPrefix, StringComparison.Ordinal)) host._ready.TrySetResult(new Uri(e.Data[ReadyPrefix.Length..].Trim()));
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (host._stderr) host._stderr.AppendLine(e.Data);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = Task.Run(async () =>
        {
            await process.WaitForExitAsync().ConfigureAwait(false);
            host._ready.TrySetException(new InvalidOperationException($"The local host exited with code {process.ExitCode} before it was ready.{Environment.NewLine}{host.Output}"));
            host._exited.TrySetResult(process.ExitCode);
        });
        return host;
    }

    /// <summary>Waits for the ready line; fails with the host's output if it exits or takes longer than <paramref name="timeout"/>.</summary>
    public async Task<Uri> WaitReadyAsync(TimeSpan timeout)
    {
        try
        {
            return await _ready.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The local host was not ready within {timeout.TotalSeconds:F0} s.{Environment.NewLine}{Output}");
        }
    }

    /// <summary>Waits for the exit code; fails with the host's output after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitExitAsync(TimeSpan timeout)
    {
        try
        {
            return await _exited.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The local host did not exit within {timeout.TotalSeconds:F0} s.{Environment.NewLine}{Output}");
        }
    }

    /// <summary>SIGTERM (a graceful stop, as Ctrl+C or a container stop), then a kill after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_exited.Task.IsCompleted) return;
        if (!OperatingSystem.IsWindows())
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync().ConfigureAwait(false);
        }
        try
        {
            await _exited.Task.WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            await _exited.Task.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        _process.Dispose();
    }
}
