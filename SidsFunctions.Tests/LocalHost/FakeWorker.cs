using System.Collections.Concurrent;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SidsFunctions.LocalHost.Rpc;

namespace SidsFunctions.Tests.LocalHost;

/// <summary>
/// The worker's side of the protocol, played by the test: the host launches a placeholder process (a shell that
/// writes its arguments to a file and sleeps), the test reads the connection arguments from that file, connects
/// to the host's gRPC endpoint as that worker, and serves the forwarded HTTP requests on its own Kestrel.
/// It records what the host sent, so tests can check the protocol without a real isolated worker.
/// </summary>
public sealed class FakeWorker : IAsyncDisposable
{
    private readonly WebApplication _http;
    private readonly CancellationTokenSource _stop = new();
    private GrpcChannel? _channel;
    private AsyncDuplexStreamingCall<StreamingMessage, StreamingMessage>? _call;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public ConcurrentDictionary<string, InvocationRequest> Invocations { get; } = new();
    public ConcurrentQueue<(string Path, string? InvocationId)> Forwarded { get; } = new();
    public ConcurrentBag<string> Cancels { get; } = new();
    public TaskCompletionSource<bool> SlowAborted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource<InvocationRequest> TimerInvoked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public WorkerInitRequest? Init { get; private set; }
    public Uri HttpUri { get; }

    private FakeWorker(WebApplication http, Uri httpUri)
    {
        _http = http;
        HttpUri = httpUri;
    }

    /// <summary>The functions this fake app declares, as the worker's FunctionMetadataResponse carries them.</summary>
    public static IEnumerable<RpcFunctionMetadata> Functions()
    {
        RpcFunctionMetadata F(string name, params string[] bindings)
        {
            var m = new RpcFunctionMetadata { Name = name, FunctionId = name + "-id", ScriptFile = "fake.dll", EntryPoint = "Fake." + name, Language = "dotnet-isolated" };
            m.RawBindings.AddRange(bindings);
            return m;
        }
        yield return F("Hello", """{"name":"req","type":"httpTrigger","direction":"In","methods":["get","post"],"route":"hello/{name}"}""", """{"name":"$return","type":"http","direction":"Out"}""");
        yield return F("Slow", """{"name":"req","type":"httpTrigger","direction":"In","methods":["get"],"route":"slow"}""");
        yield return F("Tick", """{"name":"timer","type":"timerTrigger","direction":"In","schedule":"%FAKE_SCHEDULE%"}""");
    }

    public static async Task<FakeWorker> StartHttpAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeWorker? self = null;
        app.Run(async context =>
        {
            string? id = context.Request.Headers["x-ms-invocation-id"];
            self!.Forwarded.Enqueue((context.Request.Path.Value ?? "", id));
            if (context.Request.Path == "/slow")
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    self.SlowAborted.TrySetResult(true);
                    return;
                }
            }
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            context.Response.Headers["x-fake"] = "1";
            await context.Response.WriteAsJsonAsync(new { path = context.Request.Path.Value, id, body = body.Length, forwardedFor = context.Request.Headers["X-Forwarded-For"].ToString() });
            if (id is not null) await self.CompleteAsync(id);
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new FakeWorker(app, new Uri(address));
        return self;
    }

    /// <summary>Reads the placeholder's arguments and connects as the worker; answers init, metadata and loads.</summary>
    public async Task ConnectAsync(string argsFile, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!File.Exists(argsFile) || new FileInfo(argsFile).Length == 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The host did not start the placeholder worker.");
            await Task.Delay(50);
        }
        var args = (await File.ReadAllTextAsync(argsFile)).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string Arg(string name) => args[Array.IndexOf(args, name) + 1];
        _channel = GrpcChannel.ForAddress(Arg("--functions-uri"));
        _call = new FunctionRpc.FunctionRpcClient(_channel).EventStream(cancellationToken: _stop.Token);
        await SendAsync(new StreamingMessage { RequestId = Arg("--functions-request-id"), StartStream = new StartStream { WorkerId = Arg("--functions-worker-id") } });
        _ = Task.Run(ReadLoopAsync);
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            await foreach (var m in _call!.ResponseStream.ReadAllAsync(_stop.Token))
            {
                switch (m.ContentCase)
                {
                    case StreamingMessage.ContentOneofCase.WorkerInitRequest:
                        Init = m.WorkerInitRequest;
                        var init = new WorkerInitResponse { WorkerVersion = "fake", Result = new StatusResult { Status = StatusResult.Types.Status.Success } };
                        init.Capabilities["HttpUri"] = HttpUri.ToString();
                        await SendAsync(new StreamingMessage { RequestId = m.RequestId, WorkerInitResponse = init });
                        break;
                    case StreamingMessage.ContentOneofCase.FunctionsMetadataRequest:
                        var meta = new FunctionMetadataResponse { Result = new StatusResult { Status = StatusResult.Types.Status.Success } };
                        meta.FunctionMetadataResults.AddRange(Functions());
                        await SendAsync(new StreamingMessage { RequestId = m.RequestId, FunctionMetadataResponse = meta });
                        break;
                    case StreamingMessage.ContentOneofCase.FunctionLoadRequest:
                        await SendAsync(new StreamingMessage
                        {
                            FunctionLoadResponse = new FunctionLoadResponse { FunctionId = m.FunctionLoadRequest.FunctionId, Result = new StatusResult { Status = StatusResult.Types.Status.Success } },
                        });
                        break;
                    case StreamingMessage.ContentOneofCase.InvocationRequest:
                        Invocations[m.InvocationRequest.InvocationId] = m.InvocationRequest;
                        if (m.InvocationRequest.FunctionId == "Tick-id")
                        {
                            TimerInvoked.TrySetResult(m.InvocationRequest);
                            await CompleteAsync(m.InvocationRequest.InvocationId);
                        }
                        break;
                    case StreamingMessage.ContentOneofCase.InvocationCancel:
                        Cancels.Add(m.InvocationCancel.InvocationId);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is Grpc.Core.RpcException or OperationCanceledException or IOException)
        {
        }
    }

    private Task CompleteAsync(string invocationId) => SendAsync(new StreamingMessage
    {
        InvocationResponse = new InvocationResponse { InvocationId = invocationId, Result = new StatusResult { Status = StatusResult.Types.Status.Success } },
    });

    private async Task SendAsync(StreamingMessage message)
    {
        await _writeLock.WaitAsync();
        try
        {
            await _call!.RequestStream.WriteAsync(message);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Breaks the stream as a crashing worker would.</summary>
    public void DropStream()
    {
        _stop.Cancel();
        _call?.Dispose();
    }

    public static string? TriggerJson(InvocationRequest request) => request.InputData.FirstOrDefault()?.Data?.Json;

    public static JsonElement Json(string s) => JsonDocument.Parse(s).RootElement.Clone();

    public async ValueTask DisposeAsync()
    {
        DropStream();
        _channel?.Dispose();
        await _http.StopAsync();
        await _http.DisposeAsync();
    }
}
