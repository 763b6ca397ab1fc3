using System.Collections.ObjectModel;

namespace SidsModels.Clustering;

/// <summary>Hyper-parameters of k-modes, with the kmodes package's defaults (10 restarts, at most 100 iterations).</summary>
/// <param name="Clusters">k, at least 1 and at most the number of distinct rows learned from.</param>
public sealed record KModesOptions(int Clusters)
{
    /// <summary>Runs from different Huang initialisations; the lowest cost wins (the first on a tie).</summary>
    public int Restarts { get; init; } = 10;

    public int MaxIterations { get; init; } = 100;

    public ulong Seed { get; init; }

    /// <summary>Restarts run at once; 0 means <see cref="Environment.ProcessorCount"/>. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; }
}

/// <summary>
/// k-modes for categorical data (Huang 1998) as the kmodes package runs it with init="Huang": the cost of a
/// row to a cluster is the number of attributes that differ from the cluster's modes; Huang's initialisation
/// (see <see cref="KPrototypesLearner"/>), falling back to k distinct random rows when fewer than k rows have
/// distinct categories; rows moved one at a time with both modes updated; an emptied cluster takes a random
/// row of the largest. Unlike the package, a row moves only to a strictly cheaper cluster, so every move
/// lowers the cost and a run ends when a pass moves nothing (or after the iteration limit).
/// </summary>
public sealed class KModesLearner
{
    private readonly KModesOptions options;

    public KModesLearner(KModesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Clusters, 1, nameof(options.Clusters));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Restarts, 1, nameof(options.Restarts));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIterations, 1, nameof(options.MaxIterations));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxDegreeOfParallelism, nameof(options.MaxDegreeOfParallelism));
        this.options = options;
    }

    public KModesOptions Options => options;

    /// <param name="x">At least one attribute and at least <see cref="KModesOptions.Clusters"/> distinct rows (<see cref="DistinctRows.Count"/>).</param>
    public KModesModel Learn(CategoricalMatrix x, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Columns == 0)
        {
            throw new ArgumentException("k-modes needs at least one attribute.", nameof(x));
        }
        var data = new PrototypeData([], 0, x, 1.0);
        var run = PrototypeClustering.Fit(data, options.Clusters, options.Restarts, options.MaxIterations, options.Seed,
            options.MaxDegreeOfParallelism, cancellationToken);
        return new KModesModel(options.Clusters, x.Columns, run.Modes, run.Labels, run.Cost, run.Iterations);
    }
}

/// <summary>A fitted k-modes clustering: immutable and safe to use from several threads.</summary>
public sealed class KModesModel
{
    private readonly int[] modes;

    internal KModesModel(int clusters, int attributes, int[] modes, int[] labels, double cost, int iterations)
    {
        Clusters = clusters;
        AttributeCount = attributes;
        this.modes = modes;
        Labels = new ReadOnlyCollection<int>(labels);
        Cost = cost;
        Iterations = iterations;
    }

    public int Clusters { get; }

    public int AttributeCount { get; }

    /// <summary>The cluster (0 … k−1) of each row learned from, in row order.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>Total number of mismatches between the rows and their clusters' modes (the package's cost_).</summary>
    public double Cost { get; }

    public int Iterations { get; }

    /// <summary>The category codes of one cluster's modes (codes of the matrix learned from).</summary>
    public ReadOnlySpan<int> Mode(int cluster) => modes.AsSpan(cluster * AttributeCount, AttributeCount);

    /// <summary>The cluster whose modes differ least from a coded row (the first on a tie).</summary>
    public int Predict(ReadOnlySpan<int> row)
    {
        if (row.Length != AttributeCount)
        {
            throw new ArgumentException($"Expected {AttributeCount} attributes, got {row.Length}.", nameof(row));
        }
        var best = 0;
        var bestCost = int.MaxValue;
        for (var c = 0; c < Clusters; c++)
        {
            var cost = Distance.Mismatches(row, Mode(c));
            if (cost < bestCost)
            {
                bestCost = cost;
                best = c;
            }
        }
        return best;
    }
}
