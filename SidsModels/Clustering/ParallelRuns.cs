using System.Runtime.ExceptionServices;

namespace SidsModels.Clustering;

/// <summary>Runs independent restarts in parallel, bounded by the processor count, and rethrows a failure as itself.</summary>
internal static class ParallelRuns
{
    /// <param name="parallelism">Most runs at once; 0 means <see cref="Environment.ProcessorCount"/>.</param>
    public static void For(int count, int parallelism, CancellationToken cancellationToken, Action<int> run)
    {
        var degree = Math.Min(parallelism > 0 ? parallelism : Environment.ProcessorCount, count);
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, degree), CancellationToken = cancellationToken }, run);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
    }
}
