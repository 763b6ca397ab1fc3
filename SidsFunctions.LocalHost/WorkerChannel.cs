using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using GrpcException = Grpc.Core.RpcException;
using SidsFunctions.LocalHost.Rpc;

namespace SidsFunctions.LocalHost;

/// <summary>The worker's stream closed or its process exited: what was pending will never be answered.</summary>
internal sealed class WorkerGoneException(string message) : Exception(message);

/// <summary>
/// The host's side of the worker's one gRPC <c>EventStream</c>: messages to the worker are queued and written by
/// one loop; messages from the worker complete what waits for them (start, init, metadata, loads,
/// invocations) or are logged (RpcLog).
/// </summary>
internal sealed class WorkerChannel
{
    private readonly HostConsole _console;
    private readonly Channel<StreamingMessage> _outbound =
        Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource<StartStream> _started = NewSource<StartStream>();
    private readonly TaskCompletionSource<WorkerInitResponse> _initialised = NewSource<WorkerInitResponse>();
    private readonly TaskCompletionSource<FunctionMetadataResponse> _metadata = NewSource<FunctionMetadataResponse>();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FunctionLoadResponse>> _loads = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResponse>> _invocations = new();
    private int _attached;
    private volatile string? _goneReason;

    public WorkerChannel(HostConsole console) => _console = console;

    /// <summary>The worker id the host passes to the worker and expects back in StartStream.</summary>
    public string WorkerId { get; } = Guid.NewGuid().ToString();

    public Task<StartStream> Started => _started.Task;

    public Task<WorkerInitResponse> Initialised => _initialised.Task;

    public Task<FunctionMetadataResponse> Metadata => _metadata.Task;

    /// <summary>Completes when the worker's stream has ended (the worker is gone).</summary>
    public Task Ended => _ended.Task;

    /// <summary>Invocations sent and not yet answered.</summary>
    public int PendingInvocations => _invocations.Count;

    /// <summary>Minimum level of worker logs shown; system logs below Warning are hidden unless verbose.</summary>
    public RpcLog.Types.Level MinimumLevel { get; init; } = RpcLog.Types.Level.Information;

    /// <summary>Every message in and out on the console (LOCALHOST_TRACE_RPC=1), for protocol debugging.</summary>
    public bool Trace { get; init; } = Environment.GetEnvironmentVariable("LOCALHOST_TRACE_RPC") == "1";

    public void Send(StreamingMessage message) => _outbound.Writer.TryWrite(message);

    public Task<FunctionLoadResponse> LoadAsync(FunctionLoadRequest request)
    {
        var source = _loads.GetOrAdd(request.FunctionId, _ => NewSource<FunctionLoadResponse>());
        Send(new StreamingMessage { RequestId = Guid.NewGuid().ToString(), FunctionLoadRequest = request });
        return source.Task;
    }

    /// <summary>Sends an invocation; the task completes with the worker's response, or fails if the worker goes away.</summary>
    public Task<InvocationResponse> InvokeAsync(InvocationRequest request)
    {
        var source = NewSource<InvocationResponse>();
        _invocations[request.InvocationId] = source;
        if (_goneReason is { } reason)
        {
            _invocations.TryRemove(request.InvocationId, out _);
            source.TrySetException(new WorkerGoneException(reason));
            return source.Task;
        }
        Send(new StreamingMessage { InvocationRequest = request });
        return source.Task;
    }

    /// <summary>Forgets an invocation whose response will not be awaited any more.</summary>
    public void Forget(string invocationId) => _invocations.TryRemove(invocationId, out _);

    public void Cancel(string invocationId) =>
        Send(new StreamingMessage { InvocationCancel = new InvocationCancel { InvocationId = invocationId } });

    /// <summary>Runs the stream for the one worker this host started; a second connection is refused.</summary>
    public async Task RunAsync(IAsyncStreamReader<StreamingMessage> fromWorker, IServerStreamWriter<StreamingMessage> toWorker, ServerCallContext context)
    {
        if (Interlocked.Exchange(ref _attached, 1) != 0)
            throw new GrpcException(new Status(StatusCode.AlreadyExists, "This host serves one worker, which is already connected."));

        var writing = WriteLoopAsync(toWorker, context.CancellationToken);
        _ = writing.ContinueWith(t => End($"Writing to the worker failed: {t.Exception?.InnerException?.Message}"),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        string reason = "The worker closed its gRPC stream.";
        try
        {
            while (await fromWorker.MoveNext(context.CancellationToken).ConfigureAwait(false))
            {
                Dispatch(fromWorker.Current);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or GrpcException or InvalidOperationException)
        {
            reason = $"The worker's gRPC stream broke ({ex.GetType().Name}: {ex.Message}).";
        }
        finally
        {
            End(reason);
            _outbound.Writer.TryComplete();
            try
            {
                await writing.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException or GrpcException)
            {
                // The stream is gone either way.
            }
        }
    }

    /// <summary>Marks the worker gone: everything pending fails now, rather than waiting for a timeout.</summary>
    public void End(string reason)
    {
        _goneReason ??= reason;
        var gone = new WorkerGoneException(_goneReason);
        _started.TrySetException(gone);
        _initialised.TrySetException(gone);
        _metadata.TrySetException(gone);
        foreach (var key in _loads.Keys)
        {
            if (_loads.TryRemove(key, out var s)) s.TrySetException(gone);
        }
        foreach (var key in _invocations.Keys)
        {
            if (_invocations.TryRemove(key, out var s)) s.TrySetException(gone);
        }
        _ended.TrySetResult();
    }

    private async Task WriteLoopAsync(IServerStreamWriter<StreamingMessage> toWorker, CancellationToken cancel)
    {
        var reader = _outbound.Reader;
        var buffered = new WriteOptions(WriteFlags.BufferHint);
        while (await reader.WaitToReadAsync(cancel).ConfigureAwait(false))
        {
            // Write what is queued without flushing between messages; the last one flushes.
            if (!reader.TryRead(out var message)) continue;
            while (true)
            {
                bool more = reader.TryRead(out var next);
                toWorker.WriteOptions = more ? buffered : WriteOptions.Default;
                if (Trace) _console.Log($"-> {message.ContentCase} {message}");
                await toWorker.WriteAsync(message, cancel).ConfigureAwait(false);
                if (!more) break;
                message = next!;
            }
        }
    }

    private void Dispatch(StreamingMessage message)
    {
        if (Trace) _console.Log($"<- {message.ContentCase} {message}");
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.StartStream:
                _started.TrySetResult(message.StartStream);
                break;
            case StreamingMessage.ContentOneofCase.WorkerInitResponse:
                _initialised.TrySetResult(message.WorkerInitResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionMetadataResponse:
                _metadata.TrySetResult(message.FunctionMetadataResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionLoadResponse:
                if (_loads.TryRemove(message.FunctionLoadResponse.FunctionId, out var load)) load.TrySetResult(message.FunctionLoadResponse);
                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                if (_invocations.TryRemove(message.InvocationResponse.InvocationId, out var invocation)) invocation.TrySetResult(message.InvocationResponse);
                break;
            case StreamingMessage.ContentOneofCase.RpcLog:
                Log(message.RpcLog);
                break;
            case StreamingMessage.ContentOneofCase.WorkerHeartbeat:
                break;
            default:
                // Messages this host does not use (e.g. status responses) are ignored.
                break;
        }
    }

    private void Log(RpcLog log)
    {
        var minimum = log.LogCategory == RpcLog.Types.RpcLogCategory.System && MinimumLevel < RpcLog.Types.Level.Warning
            ? RpcLog.Types.Level.Warning
            : MinimumLevel;
        if (log.Level < minimum || log.Level == RpcLog.Types.Level.None) return;
        string line = $"{log.Level}: {(log.Category.Length > 0 ? log.Category + ": " : "")}{log.Message}";
        if (log.Exception is { } ex && (ex.Message.Length > 0 || ex.StackTrace.Length > 0))
        {
            line += $"{Environment.NewLine}  {(ex.Type.Length > 0 ? ex.Type + ": " : "")}{ex.Message}{(ex.StackTrace.Length > 0 ? Environment.NewLine + ex.StackTrace : "")}";
        }
        if (log.Level >= RpcLog.Types.Level.Error) _console.LogError(line); else _console.Log(line);
    }

    private static TaskCompletionSource<T> NewSource<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>The gRPC service the worker connects to.</summary>
internal sealed class FunctionRpcService(WorkerChannel channel) : FunctionRpc.FunctionRpcBase
{
    public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context) =>
        channel.RunAsync(requestStream, responseStream, context);
}
