using System.Text;
using SidsModels.Common;

namespace SidsFunctions.Tests.Models.Common;

public sealed class SingleFlightCacheTests
{
    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task IdenticalRequestsInFlightComputeOnce()
    {
        var cache = new SingleFlightCache<byte[]>(10);
        var computations = 0;
        var release = new TaskCompletionSource();
        async Task<byte[]> Compute(CancellationToken ct)
        {
            Interlocked.Increment(ref computations);
            await release.Task.WaitAsync(ct);
            return Bytes("answer");
        }
        var callers = Enumerable.Range(0, 16).Select(_ => cache.GetOrComputeAsync("k", Compute, CancellationToken.None)).ToArray();
        release.SetResult();
        var answers = await Task.WhenAll(callers);
        Assert.Equal(1, computations);
        Assert.All(answers, a => Assert.Equal("answer", Encoding.UTF8.GetString(a)));
        Assert.Equal("answer", Encoding.UTF8.GetString(await cache.GetOrComputeAsync("k", _ => throw new InvalidOperationException("not again"), CancellationToken.None)));
    }

    [Fact]
    public async Task KeepsTheMostRecentlyUsedAnswersUpToItsCapacity()
    {
        var cache = new SingleFlightCache<byte[]>(2);
        var computed = new List<string>();
        Task<byte[]> Compute(string key) => cache.GetOrComputeAsync(key, _ =>
        {
            lock (computed)
            {
                computed.Add(key);
            }
            return Task.FromResult(Bytes(key));
        }, CancellationToken.None);
        await Compute("a");
        await Compute("b");
        await Compute("a"); // a is now the most recent
        await Compute("c"); // evicts b
        await Compute("a");
        await Compute("b");
        Assert.Equal(["a", "b", "c", "b"], computed);
        Assert.True(cache.Count <= 2);
    }

    [Fact]
    public async Task FailuresAreNotKept()
    {
        var cache = new SingleFlightCache<byte[]>(10);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            cache.GetOrComputeAsync("k", _ => throw new InvalidOperationException("boom"), CancellationToken.None));
        Assert.Equal("ok", Encoding.UTF8.GetString(await cache.GetOrComputeAsync("k", _ => Task.FromResult(Bytes("ok")), CancellationToken.None)));
    }

    [Fact]
    public async Task TheComputationStopsOnlyWhenEveryWaiterHasGone()
    {
        var cache = new SingleFlightCache<byte[]>(10);
        // Continuations run asynchronously: the test must not go on inside the computation (on its thread, before it
        // registers for cancellation) when it signals that it started.
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<byte[]> Compute(CancellationToken ct)
        {
            started.TrySetResult();
            await using (ct.Register(() => cancelled.TrySetResult()))
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            return [];
        }
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        var a = cache.GetOrComputeAsync("k", Compute, first.Token);
        var b = cache.GetOrComputeAsync("k", Compute, second.Token);
        // Generous waits: the computation may be preempted between signalling and registering, and the continuations
        // run on a thread pool that a parallel test run keeps busy (10 s timed out once in CI). Only a cancellation
        // that never comes fails.
        var patience = TimeSpan.FromSeconds(60);
        await started.Task.WaitAsync(patience);
        first.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a);
        Assert.False(cancelled.Task.IsCompleted); // the second client still waits
        second.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b);
        await cancelled.Task.WaitAsync(patience);
    }

    [Fact]
    public async Task CapacityZeroKeepsNothingButMergesRequestsInFlight()
    {
        var cache = new SingleFlightCache<byte[]>(0);
        var computations = 0;
        var release = new TaskCompletionSource();
        async Task<byte[]> Compute(CancellationToken ct)
        {
            Interlocked.Increment(ref computations);
            await release.Task;
            return Bytes("x");
        }
        var a = cache.GetOrComputeAsync("k", Compute, CancellationToken.None);
        var b = cache.GetOrComputeAsync("k", Compute, CancellationToken.None);
        release.SetResult();
        await Task.WhenAll(a, b);
        Assert.Equal(1, computations);
        Assert.Equal(0, cache.Count);
    }
}
