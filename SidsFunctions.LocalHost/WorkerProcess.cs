using System.Diagnostics;

namespace SidsFunctions.LocalHost;

/// <summary>
/// The worker process: started as the Functions host starts it (worker.config.json's executable, arguments and
/// worker path, then the host's connection arguments), its output relayed to the host's console, its exit
/// observed. Stopping it kills the whole process tree after a grace period.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private const int KeptLines = 25;

    private readonly Process _process;
    private readonly HostConsole _console;
    private readonly Queue<string> _lastLines = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Process? _watchdog;

    private WorkerProcess(Process process, HostConsole console)
    {
        _process = process;
        _console = console;
    }

    // The worker does not exit when its gRPC stream dies (checked with Worker 2.52: it keeps serving its Kestrel),
    // so a host killed with SIGKILL would leave it running for ever. A tiny shell loop outlives the host, notices
    // it gone within a second and stops the worker. A graceful stop kills the loop first; Ctrl+C (SIGINT to the
    // whole process group) does not end it.
    private const string WatchdogScript =
        "trap '' INT; while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; kill -TERM \"$2\" 2>/dev/null || exit 0; " +
        "for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.5; kill -0 \"$2\" 2>/dev/null || exit 0; done; kill -KILL \"$2\" 2>/dev/null";

    private void StartWatchdog()
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
            foreach (var a in new[] { "-c", WatchdogScript, "sids-localhost-watchdog", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) })
                psi.ArgumentList.Add(a);
            _watchdog = Process.Start(psi);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            _console.Error($"warning: no watchdog for the worker ({ex.Message}); if this host is killed with SIGKILL, stop process {_process.Id} by hand.");
        }
    }

    private void StopWatchdog()
    {
        try
        {
            if (_watchdog is { HasExited: false }) _watchdog.Kill();
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }

    /// <summary>Completes with the exit code when the worker exits.</summary>
    public Task<int> Exited => _exited.Task;

    public int Id => _process.Id;

    /// <summary>The last lines the worker wrote (stdout and stderr), for error reports.</summary>
    public string LastOutput
    {
        get
        {
            lock (_lastLines) return _lastLines.Count == 0 ? "(no output)" : string.Join(Environment.NewLine, _lastLines.Select(l => "  | " + l));
        }
    }

    /// <summary>The worker's command-line arguments for connecting to this host, as the Functions host passes them (both the old and the current names).</summary>
    public static IReadOnlyList<string> ConnectionArguments(int grpcPort, string workerId, string requestId, int maxMessageLength)
    {
        string max = maxMessageLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string port = grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return
        [
            "--host", "127.0.0.1", "--port", port, "--workerId", workerId, "--requestId", requestId, "--grpcMaxMessageLength", max,
            "--functions-uri", $"http://127.0.0.1:{port}/", "--functions-worker-id", workerId,
            "--functions-request-id", requestId, "--functions-grpc-max-message-length", max,
        ];
    }

    /// <summary>The environment the worker gets on top of the host's: the app settings and what the Functions host sets.</summary>
    public static Dictionary<string, string> WorkerEnvironment(HostSettings settings, string scriptRoot)
    {
        var env = new Dictionary<string, string>(settings.Values, StringComparer.Ordinal)
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["FUNCTIONS_APPLICATION_DIRECTORY"] = scriptRoot,
            ["FUNCTIONS_WORKER_DIRECTORY"] = scriptRoot,
            ["AzureWebJobsScriptRoot"] = scriptRoot,
        };
        // Core Tools runs the app as Development unless told otherwise.
        env.TryAdd("AZURE_FUNCTIONS_ENVIRONMENT", "Development");
        return env;
    }

    public static WorkerProcess Start(WorkerLaunch launch, string scriptRoot, IReadOnlyDictionary<string, string> environment,
        IReadOnlyList<string> connectionArguments, HostConsole console)
    {
        var psi = new ProcessStartInfo(launch.Executable)
        {
            WorkingDirectory = scriptRoot,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        foreach (var a in launch.Arguments) psi.ArgumentList.Add(a);
        if (launch.WorkerPath.Length > 0) psi.ArgumentList.Add(launch.WorkerPath);
        foreach (var a in connectionArguments) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment) psi.Environment[k] = v;

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process, console);
        process.OutputDataReceived += (_, e) => worker.OnLine(e.Data, error: false);
        process.ErrorDataReceived += (_, e) => worker.OnLine(e.Data, error: true);
        process.Exited += (_, _) => worker.OnExited();
        try
        {
            if (!process.Start()) throw new HostStartupException($"The worker '{launch.Executable}' did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new HostStartupException($"The worker could not be started: '{launch.Executable}' ({ex.Message}). Check worker.config.json's defaultExecutablePath.");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        worker.StartWatchdog();
        return worker;
    }

    private void OnLine(string? line, bool error)
    {
        if (line is null) return;
        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            while (_lastLines.Count > KeptLines) _lastLines.Dequeue();
        }
        if (error) _console.Error(line); else _console.Info(line);
    }

    private void OnExited()
    {
        // Exited fires before the redirected output is fully drained; wait for the end of both streams so the
        // error report holds the worker's last words.
        _ = Task.Run(() =>
        {
            try
            {
                _process.WaitForExit();
                _exited.TrySetResult(_process.ExitCode);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                _exited.TrySetResult(-1);
            }
        });
    }

    /// <summary>Waits up to <paramref name="grace"/> for the worker to exit on its own, then kills its process tree.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        StopWatchdog();
        if (_exited.Task.IsCompleted) return;
        try
        {
            await _exited.Task.WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Kill();
            try
            {
                await _exited.Task.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _console.LogError($"The worker process {_process.Id} did not exit after being killed.");
            }
        }
    }

    /// <summary>Kills the worker and its children at once (idempotent; safe from a process-exit handler).</summary>
    public void Kill()
    {
        StopWatchdog();
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _exited.Task.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        _process.Dispose();
        _watchdog?.Dispose();
    }
}
