using System.Diagnostics;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SidsFunctions.LocalHost.Rpc;

namespace SidsFunctions.LocalHost;

/// <summary>
/// The local Functions host: serves the worker's gRPC stream, starts the worker, initialises and loads its
/// functions, then routes HTTP requests to them, fires timers and answers the admin endpoint, until it is
/// stopped or the worker dies.
/// </summary>
internal sealed class LocalFunctionsHost
{
    /// <summary>The host version reported to the worker (a Functions host 4.x).</summary>
    public const string HostVersion = "4.1044.0";
    public const int MaxMessageLength = int.MaxValue;
    public const string ReadyLinePrefix = "Functions host ready on ";

    private static readonly TimeSpan TerminateGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan InvocationResponseWait = TimeSpan.FromMinutes(10);

    private readonly HostArguments _args;
    private readonly HostConsole _console;
    private readonly WorkerChannel _channel;
    private readonly CancellationTokenSource _workerGone = new();
    private volatile bool _ready;
    private volatile bool _stopping;
    // Requests that arrive while the host starts wait for it, as the Functions host delays them until it is ready.
    private readonly TaskCompletionSource _readySignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RouteTable _routes = new([], "");
    private Dictionary<string, FunctionDescription> _byName = new(StringComparer.OrdinalIgnoreCase);
    private HttpForwarder? _forwarder;
    private string _routePrefix = FunctionApp.DefaultRoutePrefix;

    public LocalFunctionsHost(HostArguments args, HostConsole console)
    {
        _args = args;
        _console = console;
        _channel = new WorkerChannel(console);
    }

    /// <summary>Runs until <paramref name="stop"/> (exit 0) or until the worker fails or dies (exit 1).</summary>
    public async Task<int> RunAsync(CancellationToken stop)
    {
        foreach (var arg in _args.Ignored) _console.Error($"warning: ignoring unknown argument '{arg}'. {HostArguments.Usage}");

        string scriptRoot = _args.ScriptRoot;
        if (!Directory.Exists(scriptRoot)) throw new HostStartupException($"--script-root {scriptRoot} does not exist.");
        _routePrefix = FunctionApp.ReadRoutePrefix(scriptRoot);
        var launch = FunctionApp.ReadWorkerLaunch(scriptRoot);
        var settings = HostSettings.Load(scriptRoot, Directory.GetCurrentDirectory(), Environment.GetEnvironmentVariables());
        foreach (var source in settings.Sources) _console.Log($"Settings from {source}");

        await using var rpc = BuildRpcServer();
        await rpc.StartAsync(stop).ConfigureAwait(false);
        int grpcPort = BoundPort(rpc);

        await using var front = BuildFrontServer();
        try
        {
            await front.StartAsync(stop).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new HostStartupException($"Cannot listen on port {_args.Port}: {ex.Message} (choose another with --port N).");
        }
        int port = BoundPort(front);

        string requestId = Guid.NewGuid().ToString();
        var worker = WorkerProcess.Start(launch, scriptRoot, WorkerProcess.WorkerEnvironment(settings, scriptRoot),
            WorkerProcess.ConnectionArguments(grpcPort, _channel.WorkerId, requestId, MaxMessageLength), _console);
        await using var workerLifetime = worker.ConfigureAwait(false);
        // If this process ends without a graceful stop (an unhandled exit path), take the worker with it.
        using var exitHook = new ProcessExitHook(worker.Kill);
        _ = Task.WhenAny(worker.Exited, _channel.Ended).ContinueWith(_ => _workerGone.Cancel(), TaskScheduler.Default);
        _console.Log($"Worker process {worker.Id} started: {launch.Executable} {string.Join(' ', launch.Arguments.Append(launch.WorkerPath))}");

        var startup = new StartupSequence(worker, _args.StartupTimeout, stop);
        List<FunctionDescription> functions;
        try
        {
            functions = await InitialiseAsync(startup, scriptRoot, settings, requestId).ConfigureAwait(false);
        }
        catch (HostStartupException)
        {
            _readySignal.TrySetCanceled();
            // A worker that failed to start gets no grace period: it is not listening to us.
            await worker.StopAsync(TimeSpan.Zero).ConfigureAwait(false);
            throw;
        }

        var timers = StartTimers(functions, settings, stop);
        PrintFunctions(functions, port);
        _ready = true;
        _readySignal.TrySetResult();
        _console.Info(ReadyLinePrefix + $"http://127.0.0.1:{port}");

        await Task.WhenAny(worker.Exited, _channel.Ended, Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default)).ConfigureAwait(false);
        if (!stop.IsCancellationRequested)
        {
            // Ctrl+C reaches the worker and this host together (one process group); if the worker's exit
            // was seen first, the stop request follows within moments and this is no failure.
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        _stopping = true;
        _readySignal.TrySetCanceled();
        int exitCode;
        if (stop.IsCancellationRequested)
        {
            _console.Log("Stopping: terminating the worker.");
            await ShutDownWorkerAsync(worker).ConfigureAwait(false);
            exitCode = 0;
        }
        else
        {
            // Let the exit code and last output arrive if the stream broke first.
            try
            {
                await worker.Exited.WaitAsync(TimeSpan.FromSeconds(3), CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
            string what = worker.Exited.IsCompleted
                ? $"The worker process exited unexpectedly with code {worker.Exited.Result}."
                : "The worker closed its gRPC stream unexpectedly; stopping it.";
            _channel.End(what);
            _console.Error($"error: {what}{Environment.NewLine}Last worker output:{Environment.NewLine}{worker.LastOutput}");
            worker.Kill();
            exitCode = 1;
        }
        await Task.WhenAll(timers.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        await StopServerAsync(front).ConfigureAwait(false);
        await StopServerAsync(rpc).ConfigureAwait(false);
        _forwarder?.Dispose();
        return exitCode;
    }

    private async Task<List<FunctionDescription>> InitialiseAsync(StartupSequence startup, string scriptRoot, HostSettings settings, string requestId)
    {
        await startup.AwaitAsync(_channel.Started, "connect to the host's gRPC endpoint and send StartStream").ConfigureAwait(false);

        var init = new WorkerInitRequest { HostVersion = HostVersion, WorkerDirectory = scriptRoot, FunctionAppDirectory = scriptRoot };
        init.Capabilities["HandlesInvocationCancelMessage"] = "true";
        _channel.Send(new StreamingMessage { RequestId = requestId, WorkerInitRequest = init });
        var initResponse = await startup.AwaitAsync(_channel.Initialised, "answer WorkerInitRequest").ConfigureAwait(false);
        if (initResponse.Result?.Status != StatusResult.Types.Status.Success)
            throw new HostStartupException($"The worker failed to initialise: {Describe(initResponse.Result)}");
        string runtime = initResponse.WorkerMetadata is { } meta ? $" ({meta.RuntimeName} {meta.RuntimeVersion}, worker {meta.WorkerVersion})" : "";
        _console.Log($"Worker initialised{runtime}.");

        _channel.Send(new StreamingMessage { RequestId = requestId, FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = scriptRoot } });
        var metadataResponse = await startup.AwaitAsync(_channel.Metadata, "answer FunctionsMetadataRequest").ConfigureAwait(false);
        if (metadataResponse.Result is { } r && r.Status == StatusResult.Types.Status.Failure)
            throw new HostStartupException($"The worker failed to index the app: {Describe(r)}");
        var metadata = metadataResponse.UseDefaultMetadataIndexing
            ? FunctionApp.ReadFunctionsMetadata(scriptRoot)
            : metadataResponse.FunctionMetadataResults.ToList();

        var loads = new List<(RpcFunctionMetadata Metadata, Task<FunctionLoadResponse> Load)>();
        foreach (var m in metadata)
        {
            if (m.FunctionId.Length == 0) m.FunctionId = Guid.NewGuid().ToString();
            if (m.Directory.Length == 0) m.Directory = scriptRoot;
            loads.Add((m, _channel.LoadAsync(new FunctionLoadRequest { FunctionId = m.FunctionId, Metadata = m })));
        }
        var functions = new List<FunctionDescription>();
        foreach (var (m, load) in loads)
        {
            var response = await startup.AwaitAsync(load, $"answer FunctionLoadRequest for '{m.Name}'").ConfigureAwait(false);
            if (response.Result?.Status != StatusResult.Types.Status.Success)
            {
                _console.LogError($"error: function '{m.Name}' failed to load and is not served: {Describe(response.Result)}");
                continue;
            }
            functions.Add(FunctionDescription.FromMetadata(m.Name, m.FunctionId, m.RawBindings));
        }

        _byName = functions.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        _routes = new RouteTable(functions, _routePrefix);
        if (functions.Any(f => f.Kind == TriggerKind.Http))
        {
            if (!initResponse.Capabilities.TryGetValue("HttpUri", out string? httpUri) || !Uri.TryCreate(httpUri, UriKind.Absolute, out var uri))
                throw new HostStartupException("The worker has HTTP functions but reported no HttpUri capability: build it with ConfigureFunctionsWebApplication() (ASP.NET Core integration), which this host requires.");
            _forwarder = new HttpForwarder(uri, _workerGone.Token);
            _console.Log($"Worker HTTP endpoint {uri}");
        }
        return functions;
    }

    private async Task ShutDownWorkerAsync(WorkerProcess worker)
    {
        _channel.Send(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(TerminateGrace) } });
        await worker.StopAsync(TerminateGrace).ConfigureAwait(false);
        _channel.End("The host stopped.");
    }

    private void PrintFunctions(List<FunctionDescription> functions, int port)
    {
        var lines = new List<string> { "", "Functions:", "" };
        foreach (var (f, template) in _routes.Routes.OrderBy(r => r.Function.Name, StringComparer.OrdinalIgnoreCase))
        {
            string methods = f.Methods.Count == 0 ? "ANY" : string.Join(',', f.Methods);
            lines.Add($"        {f.Name}: [{methods}] http://localhost:{port}/{template}");
        }
        foreach (var f in functions.Where(f => f.Kind != TriggerKind.Http).OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase))
        {
            string detail = f.Kind == TriggerKind.Timer ? $"timerTrigger, schedule '{f.Schedule}'{(f.RunOnStartup ? ", runOnStartup" : "")}" : f.TriggerType;
            lines.Add($"        {f.Name}: {detail} (run once: POST http://localhost:{port}/admin/functions/{f.Name})");
        }
        lines.Add("");
        foreach (var line in lines) _console.Info(line);
    }

    // ---- HTTP ----------------------------------------------------------------------------------------

    private async Task HandleAsync(HttpContext context)
    {
        long started = Stopwatch.GetTimestamp();
        string function = "-";
        ForwardResult result;
        if (!_ready && !_stopping)
        {
            try
            {
                await _readySignal.Task.WaitAsync(_args.StartupTimeout, context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
            {
            }
        }
        if (!_ready || _stopping)
        {
            result = await HttpForwarder.FailAsync(context, StatusCodes.Status503ServiceUnavailable,
                _stopping ? "The Functions host is stopping." : "The Functions host is starting.").ConfigureAwait(false);
        }
        else if (context.Request.Path.StartsWithSegments("/admin/functions", out var rest))
        {
            result = await AdminInvokeAsync(context, rest.Value?.Trim('/') ?? "").ConfigureAwait(false);
        }
        else if (_routes.Match(context.Request.Method, context.Request.Path.Value ?? "/") is not { } match)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            result = new ForwardResult(404, null);
        }
        else
        {
            function = match.Function.Name;
            result = await InvokeHttpAsync(context, match).ConfigureAwait(false);
        }
        double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        string line = $"HTTP {context.Request.Method} {context.Request.Path}{context.Request.QueryString} -> {result.Status} in {ms:F1} ms ({function})";
        if (result.Failure is null) _console.Log(line); else _console.LogError(line + ": " + result.Failure);
    }

    private async Task<ForwardResult> InvokeHttpAsync(HttpContext context, RouteMatch match)
    {
        var forwarder = _forwarder!;
        string invocationId = Guid.NewGuid().ToString();
        var invocation = _channel.InvokeAsync(HttpInvocation(context.Request, match, invocationId));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _workerGone.Token);
        ForwardResult result;
        try
        {
            result = await forwarder.ForwardAsync(context, invocationId, Succeeded(invocation), cancel.Token).ConfigureAwait(false);
        }
        finally
        {
            if (context.RequestAborted.IsCancellationRequested) _channel.Cancel(invocationId);
        }
        _ = ObserveAsync(invocation, match.Function.Name, invocationId, logSuccess: false);
        return result;
    }

    private static async Task<bool> Succeeded(Task<InvocationResponse> invocation)
    {
        try
        {
            var response = await invocation.ConfigureAwait(false);
            return response.Result?.Status == StatusResult.Types.Status.Success;
        }
        catch (WorkerGoneException)
        {
            return false;
        }
    }

    /// <summary>The InvocationRequest for a proxied HTTP call: an RpcHttp describing the request (its body travels over HTTP) and the route values as trigger metadata.</summary>
    internal static InvocationRequest HttpInvocation(HttpRequest request, RouteMatch match, string invocationId)
    {
        var http = new RpcHttp
        {
            Method = request.Method,
            Url = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}",
        };
        // Headers are not copied here: the worker reads them from the forwarded request (RpcHttpBodyOnly).
        foreach (var q in request.Query) http.Query[q.Key] = q.Value.ToString();
        var invocation = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = match.Function.FunctionId,
            TraceContext = TraceContext(request.Headers.TraceParent, request.Headers.TraceState),
        };
        foreach (var (key, value) in match.Values)
        {
            string text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
            http.Params[key] = text;
            invocation.TriggerMetadata[key] = new TypedData { String = text };
        }
        invocation.InputData.Add(new ParameterBinding { Name = match.Function.TriggerName, Data = new TypedData { Http = http } });
        // No "Headers"/"Query" JSON in the trigger metadata: the worker declares RpcHttpTriggerMetadataRemoved and
        // reads them from the forwarded request.
        return invocation;
    }

    /// <summary>The invocation's trace context: the caller's W3C traceparent when it sent one, else a new trace.</summary>
    internal static RpcTraceContext TraceContext(string? traceParent, string? traceState)
    {
        if (string.IsNullOrEmpty(traceParent) || !ActivityContext.TryParse(traceParent, traceState, out _))
            traceParent = $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-00";
        return new RpcTraceContext { TraceParent = traceParent, TraceState = traceState ?? "" };
    }

    // ---- Admin ---------------------------------------------------------------------------------------

    private async Task<ForwardResult> AdminInvokeAsync(HttpContext context, string name)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.Headers.Allow = "POST";
            return await HttpForwarder.FailAsync(context, StatusCodes.Status405MethodNotAllowed, "Use POST /admin/functions/{name} with {\"input\": \"\"}.").ConfigureAwait(false);
        }
        if (name.Length == 0 || name.Contains('/') || !_byName.TryGetValue(name, out var function))
            return await HttpForwarder.FailAsync(context, StatusCodes.Status404NotFound, $"No function named '{name}'.").ConfigureAwait(false);
        if (function.Kind == TriggerKind.Http)
            return await HttpForwarder.FailAsync(context, StatusCodes.Status400BadRequest, $"'{function.Name}' is an HTTP function: call its route instead.").ConfigureAwait(false);

        string input = "";
        if (context.Request.ContentLength is null or > 0)
        {
            try
            {
                using var doc = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("input", out var i))
                    input = i.ValueKind == JsonValueKind.String ? i.GetString() ?? "" : i.GetRawText();
            }
            catch (JsonException)
            {
                return await HttpForwarder.FailAsync(context, StatusCodes.Status400BadRequest, "The body must be JSON: {\"input\": \"...\"}.").ConfigureAwait(false);
            }
        }

        var data = function.Kind == TriggerKind.Timer
            ? new TypedData { Json = TimerSchedule.TimerInfoJson(DateTime.Now, DateTime.Now, isPastDue: false) }
            : new TypedData { String = input };
        _ = InvokeAndLogAsync(function, data, "admin");
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        return new ForwardResult(202, null);
    }

    private Task InvokeAndLogAsync(FunctionDescription function, TypedData input, string reason)
    {
        string invocationId = Guid.NewGuid().ToString();
        var request = new InvocationRequest { InvocationId = invocationId, FunctionId = function.FunctionId, TraceContext = TraceContext(null, null) };
        request.InputData.Add(new ParameterBinding { Name = function.TriggerName, Data = input });
        _console.Log($"Executing '{function.Name}' (Reason='{reason}', Id={invocationId})");
        return ObserveAsync(_channel.InvokeAsync(request), function.Name, invocationId, logSuccess: true);
    }

    /// <summary>Awaits the InvocationResponse and logs a failure (or, for timers and admin runs, the result).</summary>
    private async Task ObserveAsync(Task<InvocationResponse> invocation, string function, string invocationId, bool logSuccess)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            var response = await invocation.WaitAsync(InvocationResponseWait).ConfigureAwait(false);
            double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var status = response.Result?.Status ?? StatusResult.Types.Status.Failure;
            if (status == StatusResult.Types.Status.Success)
            {
                if (logSuccess) _console.Log($"Executed '{function}' (Succeeded, Id={invocationId}, Duration={ms:F0}ms)");
            }
            else
            {
                _console.LogError($"Executed '{function}' ({status}, Id={invocationId}, Duration={ms:F0}ms): {Describe(response.Result)}");
            }
        }
        catch (TimeoutException)
        {
            _channel.Forget(invocationId);
            _console.LogError($"'{function}' (Id={invocationId}): no InvocationResponse within {InvocationResponseWait.TotalMinutes:F0} min.");
        }
        catch (WorkerGoneException ex)
        {
            _console.LogError($"'{function}' (Id={invocationId}) did not complete: {ex.Message}");
        }
    }

    // ---- Timers --------------------------------------------------------------------------------------

    private List<Task> StartTimers(List<FunctionDescription> functions, HostSettings settings, CancellationToken stop)
    {
        var tasks = new List<Task>();
        foreach (var f in functions.Where(f => f.Kind == TriggerKind.Timer))
        {
            TimerSchedule schedule;
            try
            {
                schedule = TimerSchedule.Resolve(f, settings);
            }
            catch (HostStartupException ex)
            {
                // As the Functions host: the function is in error and does not run; the others do.
                _console.LogError($"error: {ex.Message} The function '{f.Name}' will not run on a schedule.");
                continue;
            }
            _console.Log($"Timer '{f.Name}': schedule '{schedule.Expression}', next run {schedule.Next(DateTime.Now):yyyy-MM-dd HH:mm:ss}");
            tasks.Add(RunTimerAsync(f, schedule, stop));
        }
        return tasks;
    }

    private async Task RunTimerAsync(FunctionDescription function, TimerSchedule schedule, CancellationToken stop)
    {
        using var stopOrGone = CancellationTokenSource.CreateLinkedTokenSource(stop, _workerGone.Token);
        var token = stopOrGone.Token;
        DateTime last = DateTime.Now;
        try
        {
            if (function.RunOnStartup)
            {
                await InvokeAndLogAsync(function, new TypedData { Json = TimerSchedule.TimerInfoJson(last, schedule.Next(last), isPastDue: false) }, "RunOnStartup").ConfigureAwait(false);
            }
            DateTime next = schedule.Next(DateTime.Now);
            while (!token.IsCancellationRequested)
            {
                // Timers may wake a little early: wait until the occurrence has really come.
                for (var wait = next - DateTime.Now; wait > TimeSpan.Zero; wait = next - DateTime.Now)
                    await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, token).ConfigureAwait(false);
                // One run at a time, as the host's singleton lock; a run started well after its time is past due.
                bool pastDue = DateTime.Now - next > TimeSpan.FromSeconds(1);
                await InvokeAndLogAsync(function, new TypedData { Json = TimerSchedule.TimerInfoJson(last, schedule.Next(next), pastDue) }, "Timer fired").ConfigureAwait(false);
                last = next;
                DateTime now = DateTime.Now;
                next = schedule.Next(now > next ? now : next);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // ---- Servers -------------------------------------------------------------------------------------

    private WebApplication BuildRpcServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        QuietHosting(builder);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = null;
            o.MaxSendMessageSize = null;
            o.EnableDetailedErrors = true;
        });
        builder.Services.AddSingleton(_channel);
        var app = builder.Build();
        app.MapGrpcService<FunctionRpcService>();
        return app;
    }

    private WebApplication BuildFrontServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        QuietHosting(builder);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // The worker's Kestrel enforces the app's own body limit (and answers 413).
            k.Limits.MaxRequestBodySize = null;
            if (_args.Port == 0) k.Listen(System.Net.IPAddress.Loopback, 0);
            else k.ListenLocalhost(_args.Port);
        });
        var app = builder.Build();
        app.Run(HandleAsync);
        return app;
    }

    private static void QuietHosting(WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, ManualLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
    }

    private static int BoundPort(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First()).Port;
    }

    private static async Task StopServerAsync(WebApplication app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Describe(StatusResult? result)
    {
        if (result is null) return "(no result)";
        string text = result.Result;
        if (result.Exception is { } ex)
            text += (text.Length > 0 ? ": " : "") + (ex.Type.Length > 0 ? ex.Type + ": " : "") + ex.Message;
        return text.Length > 0 ? text : result.Status.ToString();
    }
}

/// <summary>The startup deadline: each awaited step races the worker's exit and the host's stop.</summary>
internal sealed class StartupSequence(WorkerProcess worker, TimeSpan timeout, CancellationToken stop)
{
    private readonly DateTime _deadline = DateTime.UtcNow + timeout;

    public async Task<T> AwaitAsync<T>(Task<T> step, string what)
    {
        var remaining = _deadline - DateTime.UtcNow;
        if (remaining < TimeSpan.Zero) remaining = TimeSpan.Zero;
        using var delayCancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var delay = Task.Delay(remaining, delayCancel.Token);
        var first = await Task.WhenAny(step, worker.Exited, delay).ConfigureAwait(false);
        delayCancel.Cancel();
        if (first == step && step.IsCompletedSuccessfully) return step.Result;
        if (stop.IsCancellationRequested) throw new HostStartupException($"Stopped while waiting for the worker to {what}.");
        if (worker.Exited.IsCompleted || (step.IsFaulted && step.Exception?.InnerException is WorkerGoneException))
        {
            int? code = null;
            try
            {
                code = await worker.Exited.WaitAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
            string how = code is int c ? $"exited with code {c}" : "closed its gRPC stream";
            throw new HostStartupException($"The worker {how} before it could {what}.{Environment.NewLine}Last worker output:{Environment.NewLine}{worker.LastOutput}");
        }
        if (step.IsFaulted) throw new HostStartupException($"The worker failed to {what}: {step.Exception?.InnerException?.Message}");
        throw new HostStartupException(
            $"The worker did not {what} within {timeout.TotalSeconds:F0} s (--startup-timeout).{Environment.NewLine}Last worker output:{Environment.NewLine}{worker.LastOutput}");
    }
}

/// <summary>A host lifetime that leaves signals to Program, which stops both servers and the worker in order.</summary>
internal sealed class ManualLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Runs an action when the process exits (any exit that runs managed handlers).</summary>
internal sealed class ProcessExitHook : IDisposable
{
    private readonly Action _action;
    private readonly EventHandler _handler;

    public ProcessExitHook(Action action)
    {
        _action = action;
        _handler = (_, _) => _action();
        AppDomain.CurrentDomain.ProcessExit += _handler;
    }

    public void Dispose() => AppDomain.CurrentDomain.ProcessExit -= _handler;
}
