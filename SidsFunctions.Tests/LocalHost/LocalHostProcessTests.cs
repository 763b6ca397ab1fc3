using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SidsFunctions.Tests.LocalHost;

/// <summary>
/// The built local host as a process, against a test-played worker (<see cref="FakeWorker"/>) or placeholder
/// workers that fail: the protocol, forwarding, cancellation, timers, admin runs, and clear non-zero exits.
/// </summary>
public sealed partial class LocalHostProcessTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly string _root = Directory.CreateTempSubdirectory("localhost-proc-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A script root whose "worker" is a shell script (worker.config.json arguments), run with the host's connection arguments.</summary>
    private string ScriptRoot(string script, string routePrefix = "")
    {
        string dir = Directory.CreateDirectory(Path.Combine(_root, Guid.NewGuid().ToString("N"))).FullName;
        File.WriteAllText(Path.Combine(dir, "host.json"), JsonSerializer.Serialize(new { version = "2.0", extensions = new { http = new { routePrefix } } }));
        File.WriteAllText(Path.Combine(dir, "worker.config.json"), JsonSerializer.Serialize(new
        {
            description = new { language = "dotnet-isolated", defaultExecutablePath = "/bin/sh", arguments = new[] { "-c", script, "placeholder" } },
        }));
        return dir;
    }

    private static LocalHostProcess StartHost(string scriptRoot, params string[] extra) =>
        LocalHostProcess.Start(["--script-root", scriptRoot, "--port", "0", .. extra],
            new Dictionary<string, string> { ["FAKE_SCHEDULE"] = "*/1 * * * * *" });

    private static int WorkerPid(LocalHostProcess host) =>
        int.Parse(WorkerStarted().Match(host.StandardOutput).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static bool Alive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting: {what}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task ServesAWorkerThroughTheProtocol()
    {
        if (OperatingSystem.IsWindows()) return;
        await using var worker = await FakeWorker.StartHttpAsync();
        string argsFile = Path.Combine(_root, "args-" + Guid.NewGuid().ToString("N"));
        string scriptRoot = ScriptRoot($"echo \"$@\" > '{argsFile}'; exec sleep 600");
        await using var host = StartHost(scriptRoot);
        await worker.ConnectAsync(argsFile, Bound);
        var baseUri = await host.WaitReadyAsync(Bound);
        using var client = new HttpClient { BaseAddress = baseUri, Timeout = Bound };

        Assert.Equal(scriptRoot, worker.Init!.FunctionAppDirectory);
        Assert.NotEmpty(worker.Init.HostVersion);

        // HTTP: routed, forwarded with the invocation id, described over gRPC with the route values.
        using var hello = await client.GetAsync("/hello/bob?q=1");
        Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
        Assert.Equal("1", hello.Headers.GetValues("x-fake").Single());
        var answer = await hello.Content.ReadFromJsonAsync<JsonElement>();
        string id = answer.GetProperty("id").GetString()!;
        Assert.Contains("127.0.0.1", answer.GetProperty("forwardedFor").GetString());
        var invocation = worker.Invocations[id];
        Assert.Equal("Hello-id", invocation.FunctionId);
        Assert.Equal("bob", invocation.TriggerMetadata["name"].String);
        Assert.Equal("req", invocation.InputData[0].Name);
        Assert.Equal("GET", invocation.InputData[0].Data.Http.Method);
        Assert.Equal("1", invocation.InputData[0].Data.Http.Query["q"]);
        Assert.False(string.IsNullOrEmpty(invocation.TraceContext.TraceParent));

        // A request body streams through.
        using var post = await client.PostAsync("/hello/bob", new ByteArrayContent(new byte[3_000_000]));
        Assert.Equal(3_000_000, (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("body").GetInt32());

        // No route, or not the route's method: 404 from the host.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/hello/bob")).StatusCode);

        // The admin endpoint runs a non-HTTP function once; an unknown name is a 404.
        using var run = await client.PostAsJsonAsync("/admin/functions/Tick", new { input = "" });
        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/admin/functions/Nope", new { input = "" })).StatusCode);
        var timer = await worker.TimerInvoked.Task.WaitAsync(Bound);
        Assert.Equal("timer", timer.InputData[0].Name);
        var info = FakeWorker.Json(FakeWorker.TriggerJson(timer)!);
        Assert.False(info.GetProperty("IsPastDue").GetBoolean());
        Assert.True(info.GetProperty("ScheduleStatus").TryGetProperty("Next", out _));
        // ... and the schedule (%FAKE_SCHEDULE%, every second) fires it too.
        await Eventually(() => worker.Invocations.Values.Count(i => i.FunctionId == "Tick-id") >= 3, "timer runs on its schedule");

        // A client that goes away cancels the forwarded request (the worker's RequestAborted) and the invocation.
        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetAsync("/slow", cancel.Token));
        }
        Assert.True(await worker.SlowAborted.Task.WaitAsync(TimeSpan.FromSeconds(15)));
        string slowId = worker.Invocations.Values.Single(i => i.FunctionId == "Slow-id").InvocationId;
        await Eventually(() => worker.Cancels.Contains(slowId), "InvocationCancel for the abandoned request");

        Assert.Contains("HTTP GET /hello/bob?q=1 -> 200", host.StandardOutput);
        Assert.Contains("Hello: [GET,POST] http://localhost:", host.StandardOutput);

        // A graceful stop ends the host with 0 and the worker process with it.
        int pid = WorkerPid(host);
        await host.StopAsync(Bound);
        Assert.Equal(0, await host.WaitExitAsync(Bound));
        await Eventually(() => !Alive(pid), "the worker process stops with the host");
    }

    [Fact]
    public async Task AWorkerThatDiesEndsTheHostNonZeroAndPendingRequestsAreAnswered()
    {
        if (OperatingSystem.IsWindows()) return;
        await using var worker = await FakeWorker.StartHttpAsync();
        string argsFile = Path.Combine(_root, "args-" + Guid.NewGuid().ToString("N"));
        await using var host = StartHost(ScriptRoot($"echo \"$@\" > '{argsFile}'; exec sleep 600"));
        await worker.ConnectAsync(argsFile, Bound);
        var baseUri = await host.WaitReadyAsync(Bound);
        using var client = new HttpClient { BaseAddress = baseUri, Timeout = Bound };

        var pending = client.GetAsync("/slow");
        await Eventually(() => worker.Forwarded.Any(f => f.Path == "/slow"), "the slow request reaches the worker");
        Process.GetProcessById(WorkerPid(host)).Kill();

        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, await host.WaitExitAsync(Bound));
        Assert.Contains("The worker process exited unexpectedly with code", host.StandardError);
    }

    [Fact]
    public async Task AWorkerThatExitsAtOnceIsReportedWithItsCodeAndOutput()
    {
        if (OperatingSystem.IsWindows()) return;
        await using var host = StartHost(ScriptRoot("echo 'fake worker: cannot start' >&2; exit 3"));
        Assert.Equal(1, await host.WaitExitAsync(Bound));
        Assert.Contains("The worker exited with code 3", host.StandardError);
        Assert.Contains("fake worker: cannot start", host.StandardError);
        Assert.DoesNotContain(LocalHostProcess.ReadyPrefix, host.StandardOutput);
    }

    [Fact]
    public async Task AWorkerThatNeverConnectsTimesOutAndIsStopped()
    {
        if (OperatingSystem.IsWindows()) return;
        var started = Stopwatch.StartNew();
        await using var host = StartHost(ScriptRoot("echo 'silent worker'; exec sleep 600"), "--startup-timeout", "2");
        Assert.Equal(1, await host.WaitExitAsync(Bound));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(45), $"took {started.Elapsed}");
        Assert.Contains("did not connect to the host's gRPC endpoint and send StartStream within 2 s", host.StandardError);
        Assert.Contains("silent worker", host.StandardError);
        int pid = WorkerPid(host);
        await Eventually(() => !Alive(pid), "the silent worker is killed");
    }

    [Fact]
    public async Task AFolderThatIsNoFunctionAppIsAClearError()
    {
        string empty = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;
        await using var host = StartHost(empty);
        Assert.Equal(1, await host.WaitExitAsync(Bound));
        Assert.Contains("host.json not found", host.StandardError);

        await using var noArgs = LocalHostProcess.Start(["--port", "7071"]);
        Assert.Equal(2, await noArgs.WaitExitAsync(Bound));
        Assert.Contains("--script-root is required", noArgs.StandardError);
    }

    [GeneratedRegex(@"Worker process (\d+) started")]
    private static partial Regex WorkerStarted();
}
