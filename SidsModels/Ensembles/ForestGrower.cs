using SidsModels.Common;
using SidsModels.Trees;

namespace SidsModels.Ensembles;

/// <summary>
/// Grows the trees of a forest in parallel, deterministically: every tree's seed is drawn from the
/// forest's seed in tree order before any work starts (scikit-learn's <c>_set_random_states</c>); a tree's
/// bootstrap and splitter come from its own seed; results are stored by tree index. Each worker owns one
/// <see cref="TreeBuilder"/> (its buffers serve all its trees) and takes the next tree number until none is
/// left, so a busy core does not hold the others back (<see cref="ParallelWorkers"/>). Parallel and sequential runs give the same forest.
/// </summary>
internal static class ForestGrower
{

    public static ForestModel Grow(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights,
        ForestOptions options, TreeSplitter splitter, bool bootstrap, CancellationToken cancellationToken) =>
        GrowDepths(x, y, weights, options, splitter, bootstrap, [options.MaxDepth], cancellationToken)[0];

    /// <summary>
    /// The forests of <paramref name="options"/> at each depth limit of <paramref name="depths"/> (ascending, null =
    /// unlimited last), each exactly the forest <see cref="Grow"/> gives for that depth. Each tree is grown at the
    /// smallest depth first; a tree its limit did not cut (<see cref="TreeBuilder.DepthLimited"/>) is the same tree
    /// at every larger limit, so it is reused instead of grown again. A one-feature forest of the best splitter grows
    /// each tree once, at the largest limit, and cuts it at the smaller ones. Bootstraps are drawn once per tree.
    /// </summary>
    public static ForestModel[] GrowDepths(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights,
        ForestOptions options, TreeSplitter splitter, bool bootstrap, IReadOnlyList<int?> depths, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        for (var d = 1; d < depths.Count; d++)
        {
            if ((depths[d] ?? int.MaxValue) < (depths[d - 1] ?? int.MaxValue))
            {
                throw new ArgumentException("Depths must be ascending (null, unlimited, last).", nameof(depths));
            }
        }
        var data = new TreeTrainingSet(x, y, presort: splitter == TreeSplitter.Best);
        var w = SampleWeights.Resolve(weights, x.Rows);
        var parameters = depths.Select(d => TreeParameters.From((options with { MaxDepth = d }).TreeOptions(splitter), x.Columns)).ToArray();

        var treeSeeds = TreeSeeds(options);

        // With one feature the best splitter's draws cannot change a split (they only order the features it
        // tries), so a tree grown without the smaller limits holds each of them: its top levels, cut there.
        var truncate = splitter == TreeSplitter.Best && x.Columns == 1 && depths.Count > 1;
        var trees = new RegressionTree[depths.Count][];
        for (var d = 0; d < trees.Length; d++)
        {
            trees[d] = new RegressionTree[options.Trees];
        }
        var next = -1;
        ParallelWorkers.Run(options.Parallelism, () =>
        {
            var builder = new TreeBuilder(data);
            var n = data.Rows;
            var treeWeights = bootstrap ? new double[n] : w;
            var counts = bootstrap ? new int[n] : [];
            int t;
            while ((t = Interlocked.Increment(ref next)) < treeSeeds.Length)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // The tree's own fit starts a fresh RandomState(tree seed) for its splitter (its first seed draw).
                var treeRandom = new NumpyRandomState(treeSeeds[t]);
                var splitterSeed = treeRandom.PeekSeed();
                if (bootstrap)
                {
                    DrawBootstrap(treeRandom, counts);
                    for (var r = 0; r < n; r++)
                    {
                        treeWeights[r] = w[r] * counts[r];
                    }
                }
                if (truncate)
                {
                    var deepest = builder.Build(treeWeights, data.Targets, splitterSeed, parameters[^1]);
                    var depth = deepest.Depth;
                    for (var d = 0; d < parameters.Length; d++)
                    {
                        trees[d][t] = depths[d] is { } limit && limit < depth ? deepest.Truncated(limit) : deepest;
                    }
                    continue;
                }
                var limited = true;
                for (var d = 0; d < parameters.Length; d++)
                {
                    if (!limited)
                    {
                        trees[d][t] = trees[d - 1][t];
                        continue;
                    }
                    trees[d][t] = builder.Build(treeWeights, data.Targets, splitterSeed, parameters[d]);
                    limited = builder.DepthLimited;
                }
            }
        }, cancellationToken);
        return trees.Select(forest => new ForestModel(x.Columns, forest)).ToArray();
    }

    /// <summary>Each tree's seed, drawn from the forest's seed in tree order (scikit-learn's <c>_set_random_states</c>).</summary>
    private static uint[] TreeSeeds(ForestOptions options)
    {
        var forestRandom = new NumpyRandomState(unchecked((uint)options.Seed));
        var treeSeeds = new uint[options.Trees];
        for (var t = 0; t < treeSeeds.Length; t++)
        {
            treeSeeds[t] = forestRandom.NextSeed();
        }
        return treeSeeds;
    }

    /// <summary>A tree's bootstrap counts of each row: <c>randint(0, n, n)</c> from <c>RandomState(tree seed)</c>.</summary>
    private static void DrawBootstrap(NumpyRandomState treeRandom, int[] counts)
    {
        Array.Clear(counts);
        for (var i = 0; i < counts.Length; i++)
        {
            counts[treeRandom.NextInt(0, counts.Length)]++;
        }
    }

    /// <summary>The rows each tree of a bootstrapped forest of <paramref name="options"/> on <paramref name="rows"/> rows left out.</summary>
    public static OutOfBagRows OutOfBag(ForestOptions options, int rows)
    {
        var treeSeeds = TreeSeeds(options);
        var outOfBag = new bool[treeSeeds.Length * rows];
        var counts = new int[rows];
        for (var t = 0; t < treeSeeds.Length; t++)
        {
            DrawBootstrap(new NumpyRandomState(treeSeeds[t]), counts);
            for (var r = 0; r < rows; r++)
            {
                outOfBag[t * rows + r] = counts[r] == 0;
            }
        }
        return new OutOfBagRows(treeSeeds.Length, rows, outOfBag);
    }
}
