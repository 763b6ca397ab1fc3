using System.Runtime.InteropServices;

namespace SidsFunctions.LocalHost;

/// <summary>
/// <c>dotnet SidsFunctions.LocalHost.dll --script-root &lt;function app folder&gt; [--port N]</c>: runs an isolated-worker
/// function app locally as the Azure Functions host does, for machines without Core Tools.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var parsed = HostArguments.Parse(args, out string? error);
        if (parsed is null)
        {
            await Console.Error.WriteLineAsync($"error: {error}{Environment.NewLine}{HostArguments.Usage}").ConfigureAwait(false);
            return 2;
        }

        await using var console = new HostConsole();
        using var stop = new CancellationTokenSource();
        int signalled = 0;
        void RequestStop(PosixSignalContext context)
        {
            context.Cancel = true;
            if (Interlocked.Exchange(ref signalled, 1) == 0) console.Log($"{context.Signal} received: stopping.");
            stop.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, RequestStop);
        using var parentWatch = ParentWatch.Start(() =>
        {
            console.Log("The parent process exited: stopping.");
            stop.Cancel();
        });

        try
        {
            return await new LocalFunctionsHost(parsed, console).RunAsync(stop.Token).ConfigureAwait(false);
        }
        catch (HostStartupException ex)
        {
            console.Error($"error: {ex.Message}");
            return 1;
        }
        catch (Exception ex)
        {
            // A fault of this host, not of the app: still a clear message and a non-zero exit (the worker was stopped on the way out).
            console.Error($"error: the local host failed: {ex}");
            return 1;
        }
    }
}

/// <summary>
/// Stops the host when the process that started it dies (e.g. `dotnet run` killed with SIGKILL), so the host and
/// its worker never outlive the command that owns them. On Unix a dead parent shows as a new parent id.
/// </summary>
internal sealed class ParentWatch : IDisposable
{
    private readonly Timer? _timer;

    private ParentWatch(Timer? timer) => _timer = timer;

    [DllImport("libc", EntryPoint = "getppid")]
    private static extern int GetParentProcessId();

    public static ParentWatch Start(Action onParentExit)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return new ParentWatch(null);
        int parent = GetParentProcessId();
        if (parent <= 1) return new ParentWatch(null);
        int fired = 0;
        var timer = new Timer(_ =>
        {
            if (GetParentProcessId() != parent && Interlocked.Exchange(ref fired, 1) == 0) onParentExit();
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        return new ParentWatch(timer);
    }

    public void Dispose() => _timer?.Dispose();
}
