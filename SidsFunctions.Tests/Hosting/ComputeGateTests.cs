using Microsoft.Extensions.Configuration;
using SidsFunctions.Hosting;

namespace SidsFunctions.Tests.Hosting;

public sealed class ComputeGateTests
{
    private static ComputeGate Gate(int running, int queued) => new(new ConfigurationBuilder().AddInMemoryCollection(
        new Dictionary<string, string?> { ["MAX_CONCURRENT_COMPUTATIONS"] = $"{running}", ["MAX_QUEUED_COMPUTATIONS"] = $"{queued}" }).Build());

    [Fact]
    public async Task RunsUpToTheBoundQueuesTheNextAndRefusesTheRest()
    {
        var gate = Gate(running: 1, queued: 1);
        var release = new TaskCompletionSource();
        var concurrent = 0;
        var maxConcurrent = 0;
        async Task<int> Work(CancellationToken ct)
        {
            var now = Interlocked.Increment(ref concurrent);
            InterlockedMax(ref maxConcurrent, now);
            await release.Task;
            Interlocked.Decrement(ref concurrent);
            return 1;
        }
        var first = gate.RunAsync(Work, CancellationToken.None);
        var second = gate.RunAsync(Work, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<OverloadedException>(() => gate.RunAsync(Work, CancellationToken.None));
        Assert.True(refused.RetryAfterSeconds >= 1);
        release.SetResult();
        var results = await Task.WhenAll(first, second);
        Assert.Equal([1, 1], results);
        Assert.Equal(1, maxConcurrent);
        Assert.Equal(0, gate.Admitted);
    }

    [Fact]
    public async Task AWaitingComputationGivesUpWhenItsClientGoes()
    {
        var gate = Gate(running: 1, queued: 4);
        var release = new TaskCompletionSource();
        var running = gate.RunAsync(async _ => { await release.Task; return 0; }, CancellationToken.None);
        using var client = new CancellationTokenSource();
        var waiting = gate.RunAsync(_ => Task.FromResult(1), client.Token);
        client.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        release.SetResult();
        await running;
        Assert.Equal(0, gate.Admitted);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
