using System.Runtime.ExceptionServices;

namespace SidsModels.Ensembles;

/// <summary>
/// Runs a fixed number of long-lived workers, one on the calling thread and the rest on the thread pool,
/// and waits for all of them. (Parallel.For over "one iteration per worker" may run every iteration on the
/// calling thread when it claims the range before a pool thread starts, which serialises the work.)
/// The workers share their work through a counter, so results must not depend on which worker does what.
/// </summary>
internal static class ParallelWorkers
{
    public static void Run(int workers, Action work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (workers <= 1)
        {
            work();
            return;
        }
        var others = new Task[workers - 1];
        for (var w = 0; w < others.Length; w++)
        {
            others[w] = Task.Run(work, CancellationToken.None);
        }
        Exception? failure = null;
        try
        {
            work();
        }
        catch (Exception e)
        {
            failure = e;
        }
        try
        {
            Task.WaitAll(others);
        }
        catch (AggregateException e) when (failure is null)
        {
            failure = e.InnerExceptions[0];
        }
        catch (AggregateException)
        {
        }
        if (failure is not null)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }
}
