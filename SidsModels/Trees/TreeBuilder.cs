using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SidsModels.Trees;

/// <summary>
/// Grows regression trees on one <see cref="TreeTrainingSet"/>, reproducing scikit-learn 1.2.1's
/// depth-first builder (<c>DepthFirstTreeBuilder</c> with <c>BestSplitter</c> or <c>RandomSplitter</c>):
/// the same order of nodes, the same Fisher–Yates draws of features (including the bookkeeping of
/// features found constant), the same candidate positions (values closer than 1e-7 are not split),
/// the same accumulation order of the criterion sums, so that even splits that tie exactly are settled
/// as scikit-learn settles them.
/// <para>
/// Speed: instead of sorting every feature at every node, the best splitter keeps each feature's
/// (row, value) pairs in sorted order (from the training set's one presort), restricted to the tree's
/// positive-weight rows, and stable-partitions those lists at each split; node ranges are the same in
/// every list. The rows' order that scikit-learn's criterion would see (its <c>samples</c> array) is
/// replayed on a side array, which costs one pass per node. Candidates are screened without divisions,
/// four at a time, and scored exactly only when they may win. All buffers are allocated once per builder
/// and reused for every node and every tree; a builder is used by one thread at a time.
/// </para>
/// </summary>
internal sealed class TreeBuilder
{
    private const float FeatureThreshold = 1e-7f;

    /// <summary>
    /// Candidates are compared exactly (the proxy as scikit-learn computes it) only when a division-free
    /// estimate says they may beat the best: both forms are within a few ulps of the true value, so a
    /// candidate whose estimate is below best × (1 − 1e-12) cannot be better.
    /// </summary>
    private const double BoundFactor = 1 - 1e-12;

    /// <summary>numpy's <c>finfo(float64).eps</c>: impurity at or below it counts as pure.</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    private readonly TreeTrainingSet data;
    private readonly int n;
    private readonly int p;
    private readonly float[] columns;

    private readonly int[] samples;
    private readonly int[] alternate;
    private readonly int[] side;
    private readonly byte[] goesLeft;
    private readonly float[] featureValues;
    private readonly double[] weight;
    private readonly double[] weightedTarget;

    /// <summary>Per row, interleaved: [2r] = weight × target, [2r + 1] = weight (one stream for the scans).</summary>
    private readonly double[] rowStats;
    private readonly int[] features;
    private readonly int[] constantFeatures;
    private readonly StackRecord[] stack;
    private readonly ulong[] inverses;
    private SortedEntry[]? order;
    private readonly SortedEntry[] entryScratch;
    private readonly long[] candidateValid;
    private readonly double[] candidateSums;
    private readonly double[] candidateWeights;

    // The vectorised random splitter's per-feature state, padded to the row-major stride.
    private readonly float[] featureMin;
    private readonly float[] featureMax;
    private readonly double[] featureThreshold;
    private readonly double[] featureLeftSum;
    private readonly double[] featureLeftWeight;
    private readonly int[] drawn;

    private readonly int[] nodeFeature;
    private readonly double[] nodeThreshold;
    private readonly int[] nodeLeft;
    private readonly int[] nodeRight;
    private readonly double[] nodeValue;
    private readonly double[] nodeImpurity;
    private readonly double[] nodeWeight;

    // State of the tree being grown.
    private double[] target = [];
    private TreeParameters parameters;
    private uint random;
    private int m;
    private int nodeCount;
    private double weightedSamples;
    private bool depthLimited;

    // Criterion state of the current node (scikit-learn's Criterion.init).
    private double sumTotal;
    private double squaredSumTotal;
    private double weightNode;

    public TreeBuilder(TreeTrainingSet data)
    {
        this.data = data;
        n = data.Rows;
        p = data.Features;
        columns = data.Columns;
        samples = new int[n];
        alternate = new int[n];
        side = new int[n];
        entryScratch = new SortedEntry[n];
        candidateValid = new long[n];
        candidateSums = new double[n];
        candidateWeights = new double[n];
        goesLeft = new byte[n];
        featureValues = new float[n];
        weight = new double[n];
        weightedTarget = new double[n];
        rowStats = new double[2 * n];
        features = new int[p];
        constantFeatures = new int[p];
        stack = new StackRecord[2 * n + 2];
        inverses = SplitterRandom.Inverses(p);
        var stride = data.Stride;
        featureMin = new float[stride];
        featureMax = new float[stride];
        featureThreshold = new double[stride];
        featureLeftSum = new double[stride];
        featureLeftWeight = new double[stride];
        drawn = new int[p];
        var capacity = 2 * n;
        nodeFeature = new int[capacity];
        nodeThreshold = new double[capacity];
        nodeLeft = new int[capacity];
        nodeRight = new int[capacity];
        nodeValue = new double[capacity];
        nodeImpurity = new double[capacity];
        nodeWeight = new double[capacity];
    }

    /// <summary>
    /// Whether the last tree built has a leaf that only its depth limit made a leaf (it had the rows and the
    /// impurity to be split). When false, the tree is exactly the one any larger depth limit grows: no node
    /// splits or draws differently, so the random streams stay aligned.
    /// </summary>
    public bool DepthLimited => depthLimited;

    /// <summary>Grows one tree.</summary>
    /// <param name="weights">One weight per row (bootstrap counts already multiplied in); rows of weight 0 are left out.</param>
    /// <param name="targets">One target per row.</param>
    /// <param name="splitterSeed">The splitter's <c>rand_r</c> state, as scikit-learn draws it from the tree's random state.</param>
    public RegressionTree Build(ReadOnlySpan<double> weights, double[] targets, uint splitterSeed, TreeParameters treeParameters)
    {
        target = targets;
        parameters = treeParameters;
        random = splitterSeed;
        Initialise(weights);
        if (parameters.Criterion == SplitCriterion.FriedmanMse)
        {
            Grow<FriedmanMse>();
        }
        else
        {
            Grow<SquaredError>();
        }
        return new RegressionTree(p, nodeFeature[..nodeCount], nodeThreshold[..nodeCount], nodeLeft[..nodeCount],
            nodeRight[..nodeCount], nodeValue[..nodeCount], nodeImpurity[..nodeCount], nodeWeight[..nodeCount]);
    }

    private void Initialise(ReadOnlySpan<double> weights)
    {
        m = 0;
        weightedSamples = 0;
        for (var r = 0; r < n; r++)
        {
            var w = weights[r];
            weight[r] = w;
            weightedTarget[r] = w * target[r];
            rowStats[2 * r] = weightedTarget[r];
            rowStats[2 * r + 1] = w;
            if (w != 0)
            {
                samples[m++] = r;
            }
            weightedSamples += w;
        }
        for (var f = 0; f < p; f++)
        {
            features[f] = f;
        }
        if (parameters.Splitter == TreeSplitter.Best)
        {
            order ??= new SortedEntry[n * p];
            var sorted = data.SortedEntries;
            if (m == n)
            {
                Array.Copy(sorted, order, n * p);
            }
            else
            {
                // Drop the rows a bootstrap left out (about a third), branch-free: each row is written,
                // and the write position advances only for kept rows.
                for (var r = 0; r < n; r++)
                {
                    goesLeft[r] = weight[r] != 0 ? (byte)1 : (byte)0;
                }
                ref var kept0 = ref MemoryMarshal.GetArrayDataReference(goesLeft);
                ref var source0 = ref MemoryMarshal.GetArrayDataReference(sorted);
                ref var destination0 = ref MemoryMarshal.GetArrayDataReference(order);
                for (var f = 0; f < p; f++)
                {
                    ref var source = ref Unsafe.Add(ref source0, f * n);
                    ref var destination = ref Unsafe.Add(ref destination0, f * m);
                    var j = 0;
                    for (var k = 0; k < n - 1; k++)
                    {
                        var entry = Unsafe.Add(ref source, k);
                        Unsafe.Add(ref destination, j) = entry;
                        j += Unsafe.Add(ref kept0, entry.Row);
                    }
                    var last = Unsafe.Add(ref source, n - 1);
                    if (Unsafe.Add(ref kept0, last.Row) != 0)
                    {
                        Unsafe.Add(ref destination, j) = last;
                    }
                }
            }
        }
    }

    private void Grow<TCriterion>() where TCriterion : struct, ICriterion
    {
        nodeCount = 0;
        depthLimited = false;
        var top = 0;
        stack[top++] = new StackRecord(0, m, 0, -1, false, double.PositiveInfinity, 0);
        var first = true;
        while (top > 0)
        {
            var record = stack[--top];
            int start = record.Start, end = record.End;
            var nodeSamples = end - start;
            ResetNode(start, end);
            var isLeaf = record.Depth >= parameters.MaxDepth
                || nodeSamples < parameters.MinSamplesSplit
                || nodeSamples < 2 * parameters.MinSamplesLeaf;
            var impurity = record.Impurity;
            if (first)
            {
                impurity = NodeImpurity();
                first = false;
            }
            isLeaf = isLeaf || impurity <= MachineEpsilon;
            if (isLeaf && record.Depth >= parameters.MaxDepth && impurity > MachineEpsilon
                && nodeSamples >= parameters.MinSamplesSplit && nodeSamples >= 2 * parameters.MinSamplesLeaf)
            {
                depthLimited = true;
            }

            var split = SplitResult.None(end);
            var constants = record.Constants;
            if (!isLeaf)
            {
                split = parameters.Splitter switch
                {
                    TreeSplitter.Best => BestSplit<TCriterion>(start, end, record.Depth, impurity, ref constants),
                    TreeSplitter.Random => RandomSplit<TCriterion>(start, end, impurity, ref constants),
                    _ => RandomSplitVectorised<TCriterion>(start, end, impurity, ref constants),
                };
                isLeaf = split.Position >= end || split.Improvement + MachineEpsilon < 0;
            }

            var id = AddNode(record.Parent, record.IsLeft, isLeaf, split.Feature, split.Threshold, impurity);
            nodeValue[id] = sumTotal / weightNode;

            if (!isLeaf)
            {
                stack[top++] = new StackRecord(split.Position, end, record.Depth + 1, id, false, split.ImpurityRight, constants);
                stack[top++] = new StackRecord(start, split.Position, record.Depth + 1, id, true, split.ImpurityLeft, constants);
            }
        }
    }

    private int AddNode(int parent, bool isLeft, bool isLeaf, int feature, double threshold, double impurity)
    {
        var id = nodeCount++;
        nodeFeature[id] = isLeaf ? 0 : feature;
        nodeThreshold[id] = isLeaf ? -2.0 : threshold;
        nodeLeft[id] = RegressionTree.Leaf;
        nodeRight[id] = RegressionTree.Leaf;
        nodeImpurity[id] = impurity;
        nodeWeight[id] = weightNode;
        if (parent >= 0)
        {
            if (isLeft)
            {
                nodeLeft[parent] = id;
            }
            else
            {
                nodeRight[parent] = id;
            }
        }
        return id;
    }

    /// <summary>Criterion.init: sums over the node's rows in scikit-learn's <c>samples</c> order.</summary>
    private void ResetNode(int start, int end)
    {
        double sum = 0, squares = 0, w = 0;
        for (var k = start; k < end; k++)
        {
            var i = samples[k];
            var wy = weightedTarget[i];
            sum += wy;
            squares += wy * target[i];
            w += weight[i];
        }
        sumTotal = sum;
        squaredSumTotal = squares;
        weightNode = w;
    }

    private double NodeImpurity()
    {
        var mean = sumTotal / weightNode;
        return squaredSumTotal / weightNode - mean * mean;
    }

    /// <summary>BestSplitter.node_split on presorted lists.</summary>
    private SplitResult BestSplit<TCriterion>(int start, int end, int depth, double impurity, ref int constants)
        where TCriterion : struct, ICriterion
    {
        var sortedRows = order!;
        ref var rows0 = ref MemoryMarshal.GetArrayDataReference(sortedRows);
        ref var stats0 = ref MemoryMarshal.GetArrayDataReference(rowStats);
        var best = SplitResult.None(end);
        var bestProxy = double.NegativeInfinity;
        var bestBound = double.NegativeInfinity;
        var minLeaf = parameters.MinSamplesLeaf;

        var draws = new FeatureDraws(this, constants);
        var lastSorted = -1;

        // A node of two rows has one candidate per feature, and only two possible partitions.
        var pair = end - start == 2 && minLeaf == 1;
        int pairFirst = 0;
        double proxyFirstLeft = 0, proxySecondLeft = 0;
        if (pair)
        {
            pairFirst = samples[start];
            var pairSecond = samples[start + 1];
            proxyFirstLeft = PairProxy<TCriterion>(pairFirst);
            proxySecondLeft = PairProxy<TCriterion>(pairSecond);
        }

        while (draws.Next(out var fj, out var f))
        {
            lastSorted = f;
            var segmentBase = f * m;
            if (Unsafe.Add(ref rows0, segmentBase + end - 1).Value <= (float)(Unsafe.Add(ref rows0, segmentBase + start).Value + FeatureThreshold))
            {
                draws.Constant(fj);
                continue;
            }
            draws.Usable(fj);

            if (pair)
            {
                // Two rows: the split puts the lower one left; its score was computed once for the node.
                var lowerEntry = Unsafe.Add(ref rows0, segmentBase + start);
                var pairProxy = lowerEntry.Row == pairFirst ? proxyFirstLeft : proxySecondLeft;
                if (pairProxy > bestProxy)
                {
                    bestProxy = pairProxy;
                    bestBound = pairProxy * BoundFactor;
                    float lowerValue = lowerEntry.Value, upperValue = Unsafe.Add(ref rows0, segmentBase + start + 1).Value;
                    var pairThreshold = lowerValue / 2.0 + upperValue / 2.0;
                    if (pairThreshold == upperValue || double.IsInfinity(pairThreshold))
                    {
                        pairThreshold = lowerValue;
                    }
                    best.Feature = f;
                    best.Position = start + 1;
                    best.Threshold = pairThreshold;
                }
                continue;
            }
            var position = ScanFeatureFast<TCriterion>(ref Unsafe.Add(ref rows0, segmentBase),
                ref stats0, start, end, minLeaf, sumTotal, weightNode, ref bestProxy, ref bestBound,
                out var below, out var above);
            if (position > 0)
            {
                var threshold = below / 2.0 + above / 2.0;
                if (threshold == above || double.IsInfinity(threshold))
                {
                    threshold = below;
                }
                best.Feature = f;
                best.Position = position;
                best.Threshold = threshold;
            }
        }

        if (best.Position < end)
        {
            // scikit-learn's samples[start:end] is now sorted by the last feature it sorted; it then
            // partitions them in place by the best split. Replay that on the side array.
            var lastList = sortedRows.AsSpan(lastSorted * m + start, end - start);
            for (var k = 0; k < lastList.Length; k++)
            {
                samples[start + k] = lastList[k].Row;
            }
            PartitionSamples(start, end, best.Feature, best.Threshold);
            FinishSplit<TCriterion>(ref best, start, end, impurity);

            var leftSplits = WillSplit(depth + 1, best.Position - start, best.ImpurityLeft);
            var rightSplits = WillSplit(depth + 1, end - best.Position, best.ImpurityRight);
            if (leftSplits || rightSplits)
            {
                PartitionLists(start, end, best.Position, draws.TotalConstants, leftSplits, rightSplits);
            }
        }

        constants = draws.Finish();
        return best;
    }

    /// <summary>
    /// <see cref="ScanFeature{TCriterion}"/> in two passes for the usual case (distinct values, one row per
    /// leaf at least): the left sums at every position (running sums, which is what Criterion.update's forward
    /// steps compute), then a vectorised division-free test of all positions against the best so far; the
    /// few that pass are compared exactly, in order. Features with tied values, where scikit-learn may update
    /// backwards, are scanned by the one-pass version.
    /// </summary>
    private int ScanFeatureFast<TCriterion>(ref SortedEntry segment, ref double stats0,
        int start, int end, int minLeaf, double sumTotal, double weightNode, ref double bestProxy, ref double bestBound,
        out float below, out float above)
        where TCriterion : struct, ICriterion
    {
        var length = end - start;
        if (!Vector256.IsHardwareAccelerated || length < 2 * Vector256<double>.Count || minLeaf != 1)
        {
            return ScanFeature<TCriterion>(ref segment, ref stats0, start, end, minLeaf, sumTotal,
                weightNode, ref bestProxy, ref bestBound, out below, out above);
        }
        // Pass 1: running left sums at every position q = 1 .. length − 1 (index q − 1), branch-free; a
        // position is a candidate when its value exceeds the previous one by more than 1e-7.
        ref var sums = ref MemoryMarshal.GetArrayDataReference(candidateSums);
        ref var weights = ref MemoryMarshal.GetArrayDataReference(candidateWeights);
        ref var valid = ref MemoryMarshal.GetArrayDataReference(candidateValid);
        ref var entries = ref Unsafe.Add(ref segment, start);
        double sumLeft = 0, weightLeft = 0;
        var ties = 0;
        var previous = entries;
        for (var q = 1; q < length; q++)
        {
            var entry = Unsafe.Add(ref entries, q);
            ref var stats = ref Unsafe.Add(ref stats0, 2 * previous.Row);
            sumLeft += stats;
            weightLeft += Unsafe.Add(ref stats, 1);
            Unsafe.Add(ref sums, q - 1) = sumLeft;
            Unsafe.Add(ref weights, q - 1) = weightLeft;
            var isCandidate = entry.Value > (float)(previous.Value + FeatureThreshold) ? -1L : 0L;
            Unsafe.Add(ref valid, q - 1) = isCandidate;
            ties += (int)(1 + isCandidate);
            previous = entry;
        }
        if (ties != 0)
        {
            // Tied values: Criterion.update may step backwards somewhere; replay it exactly.
            return ScanFeature<TCriterion>(ref segment, ref stats0, start, end, minLeaf, sumTotal,
                weightNode, ref bestProxy, ref bestBound, out below, out above);
        }

        // Pass 2: the division-free test, four candidates at a time; the few that pass are compared exactly, in order.
        below = 0;
        above = 0;
        var found = 0;
        var proxyBest = bestProxy;
        var bound = bestBound;
        var totals = Vector256.Create(sumTotal);
        var nodeWeights = Vector256.Create(weightNode);
        var count = length - 1;
        for (var c = 0; c < count; c += Vector256<double>.Count)
        {
            var remaining = count - c;
            uint lanes;
            if (remaining >= Vector256<double>.Count)
            {
                var sl = Vector256.LoadUnsafe(ref sums, (nuint)c);
                var wl = Vector256.LoadUnsafe(ref weights, (nuint)c);
                var wr = nodeWeights - wl;
                var pass = TCriterion.MayExceed(sl, totals - sl, wl, wr, Vector256.Create(bound))
                    & Vector256.GreaterThanOrEqual(wl, Vector256<double>.Zero)
                    & Vector256.GreaterThanOrEqual(wr, Vector256<double>.Zero);
                lanes = pass.ExtractMostSignificantBits();
                if (lanes == 0)
                {
                    continue;
                }
            }
            else
            {
                lanes = (1u << remaining) - 1;
            }
            for (var lane = 0; lane < Vector256<double>.Count && lane < remaining; lane++)
            {
                if ((lanes & (1u << lane)) == 0)
                {
                    continue;
                }
                var sl = Unsafe.Add(ref sums, c + lane);
                var wl = Unsafe.Add(ref weights, c + lane);
                var wr = weightNode - wl;
                var sr = sumTotal - sl;
                if (wl < 0 || wr < 0 || !TCriterion.MayExceed(sl, sr, wl, wr, bound))
                {
                    continue;
                }
                var proxy = TCriterion.Proxy(sl, sr, wl, wr);
                if (proxy > proxyBest)
                {
                    proxyBest = proxy;
                    bound = proxy * BoundFactor;
                    var q = c + lane + 1;
                    found = start + q;
                    below = Unsafe.Add(ref entries, q - 1).Value;
                    above = Unsafe.Add(ref entries, q).Value;
                }
            }
        }
        bestProxy = proxyBest;
        bestBound = bound;
        return found;
    }

    /// <summary>
    /// Scans one feature's candidate positions in ascending order of value, updating the left sums the way
    /// Criterion.update does (forward from the last position, or backward from the end when that is
    /// shorter), so that they carry the same rounding as scikit-learn's. Returns the position of a split
    /// better than <paramref name="bestProxy"/> (updating it), or 0 when there is none; <paramref name="below"/>
    /// and <paramref name="above"/> are the values on either side of that position.
    /// </summary>
    private static int ScanFeature<TCriterion>(ref SortedEntry segment, ref double stats0,
        int start, int end, int minLeaf, double sumTotal, double weightNode, ref double bestProxy, ref double bestBound,
        out float below, out float above)
        where TCriterion : struct, ICriterion
    {
        below = 0;
        above = 0;
        var found = 0;
        var proxyBest = bestProxy;
        var bound = bestBound;
        double sumLeft = 0, weightLeft = 0;
        var position = start;
        var first = start + minLeaf;
        var last = end - minLeaf;
        var previousRow = Unsafe.Add(ref segment, start).Row;
        var previous = Unsafe.Add(ref segment, start).Value;
        for (var q = start + 1; q < end; q++)
        {
            var entry = Unsafe.Add(ref segment, q);
            var row = entry.Row;
            var current = entry.Value;
            var lower = previous;
            var lowerRow = previousRow;
            previous = current;
            previousRow = row;
            if (current <= (float)(lower + FeatureThreshold) || (uint)(q - first) > (uint)(last - first))
            {
                continue;
            }
            if (q - position == 1)
            {
                sumLeft += Unsafe.Add(ref stats0, 2 * lowerRow);
                weightLeft += Unsafe.Add(ref stats0, 2 * lowerRow + 1);
            }
            else if (q - position <= end - q)
            {
                for (var k = position; k < q; k++)
                {
                    var i = Unsafe.Add(ref segment, k).Row;
                    sumLeft += Unsafe.Add(ref stats0, 2 * i);
                    weightLeft += Unsafe.Add(ref stats0, 2 * i + 1);
                }
            }
            else
            {
                sumLeft = sumTotal;
                weightLeft = weightNode;
                for (var k = end - 1; k >= q; k--)
                {
                    var i = Unsafe.Add(ref segment, k).Row;
                    sumLeft -= Unsafe.Add(ref stats0, 2 * i);
                    weightLeft -= Unsafe.Add(ref stats0, 2 * i + 1);
                }
            }
            position = q;
            var weightRight = weightNode - weightLeft;
            var sumRight = sumTotal - sumLeft;
            // Most candidates are clearly worse than the best so far: rule them out without dividing.
            if (weightLeft < 0 || weightRight < 0 || !TCriterion.MayExceed(sumLeft, sumRight, weightLeft, weightRight, bound))
            {
                continue;
            }
            var proxy = TCriterion.Proxy(sumLeft, sumRight, weightLeft, weightRight);
            if (proxy > proxyBest)
            {
                proxyBest = proxy;
                bound = proxy * BoundFactor;
                found = q;
                below = lower;
                above = current;
            }
        }
        bestProxy = proxyBest;
        bestBound = bound;
        return found;
    }

    /// <summary>The proxy of the split that puts <paramref name="row"/> alone on the left (Criterion.update from the start).</summary>
    private double PairProxy<TCriterion>(int row) where TCriterion : struct, ICriterion
    {
        var sumLeft = 0.0 + weightedTarget[row];
        var weightLeft = 0.0 + weight[row];
        var weightRight = weightNode - weightLeft;
        if (weightLeft < 0 || weightRight < 0)
        {
            return double.NegativeInfinity;
        }
        return TCriterion.Proxy(sumLeft, sumTotal - sumLeft, weightLeft, weightRight);
    }

    /// <summary>Whether a child could be split (else its sorted lists need not be partitioned).</summary>
    private bool WillSplit(int depth, int size, double impurity) =>
        depth < parameters.MaxDepth
        && size >= parameters.MinSamplesSplit
        && size >= 2 * parameters.MinSamplesLeaf
        && impurity > MachineEpsilon;

    /// <summary>
    /// Stable-partitions every non-constant feature's list of the node by the side of each row; only the
    /// side of a child that will be split is written.
    /// </summary>
    private void PartitionLists(int start, int end, int position, int firstNonConstant, bool left, bool right)
    {
        for (var k = start; k < position; k++)
        {
            goesLeft[samples[k]] = 1;
        }
        for (var k = position; k < end; k++)
        {
            goesLeft[samples[k]] = 0;
        }
        ref var rows0 = ref MemoryMarshal.GetArrayDataReference(order!);
        ref var side0 = ref MemoryMarshal.GetArrayDataReference(goesLeft);
        ref var scratch0 = ref MemoryMarshal.GetArrayDataReference(entryScratch);
        var length = end - start;
        if (!right)
        {
            for (var j = firstNonConstant; j < p; j++)
            {
                ref var segment = ref Unsafe.Add(ref rows0, features[j] * m + start);
                var l = 0;
                for (var k = 0; k < length; k++)
                {
                    var entry = Unsafe.Add(ref segment, k);
                    Unsafe.Add(ref segment, l) = entry;
                    l += Unsafe.Add(ref side0, entry.Row);
                }
            }
            return;
        }
        if (!left)
        {
            // Right rows only, compacted towards the end (backwards, so that no unread entry is overwritten).
            for (var j = firstNonConstant; j < p; j++)
            {
                ref var segment = ref Unsafe.Add(ref rows0, features[j] * m + start);
                var r = length - 1;
                for (var k = length - 1; k >= 0; k--)
                {
                    var entry = Unsafe.Add(ref segment, k);
                    Unsafe.Add(ref segment, r) = entry;
                    r -= 1 - Unsafe.Add(ref side0, entry.Row);
                }
            }
            return;
        }
        for (var j = firstNonConstant; j < p; j++)
        {
            ref var segment = ref Unsafe.Add(ref rows0, features[j] * m + start);
            int l = 0, r = 0;
            for (var k = 0; k < length; k++)
            {
                var entry = Unsafe.Add(ref segment, k);
                int side = Unsafe.Add(ref side0, entry.Row);
                Unsafe.Add(ref segment, l) = entry;
                Unsafe.Add(ref scratch0, r) = entry;
                l += side;
                r += 1 - side;
            }
            for (var k = 0; k < r; k++)
            {
                Unsafe.Add(ref segment, l + k) = Unsafe.Add(ref scratch0, k);
            }
        }
    }

    /// <summary>
    /// RandomSplitter.node_split (extra trees): one uniform threshold per drawn feature.
    /// <para>
    /// scikit-learn partitions samples[start:end] in place for every candidate (front scan; a row above the
    /// threshold is swapped with the last unexamined row, which is examined next), and the next candidate
    /// starts from that order. The outcome is fixed by the order rows are examined in: rows at most the
    /// threshold land at the front in that order, the others at the back from the end in that order. This
    /// replays it without branches into a second buffer, accumulating in the same pass both sums
    /// Criterion.update may use (left rows forward, or right rows subtracted from the end).
    /// </para>
    /// </summary>
    private SplitResult RandomSplit<TCriterion>(int start, int end, double impurity, ref int constants)
        where TCriterion : struct, ICriterion
    {
        var best = SplitResult.None(end);
        var bestProxy = double.NegativeInfinity;
        var minLeaf = parameters.MinSamplesLeaf;
        var currentFeature = 0;
        var length = end - start;

        ref var column0 = ref MemoryMarshal.GetArrayDataReference(columns);
        ref var values = ref MemoryMarshal.GetArrayDataReference(featureValues);
        ref var weightedTarget0 = ref MemoryMarshal.GetArrayDataReference(weightedTarget);
        ref var weight0 = ref MemoryMarshal.GetArrayDataReference(weight);
        var source = samples;
        var destination = alternate;

        var draws = new FeatureDraws(this, constants);

        while (draws.Next(out var fj, out var f))
        {
            currentFeature = f;
            ref var column = ref Unsafe.Add(ref column0, f * n);
            ref var rows = ref MemoryMarshal.GetArrayDataReference(source);

            var min = Unsafe.Add(ref column, Unsafe.Add(ref rows, start));
            var max = min;
            for (var k = start; k < end; k++)
            {
                var v = Unsafe.Add(ref column, Unsafe.Add(ref rows, k));
                Unsafe.Add(ref values, k) = v;
                min = v < min ? v : min;
                max = v > max ? v : max;
            }
            if (!draws.RandomThreshold(fj, min, max, out var threshold))
            {
                continue;
            }

            ClassifyAtMost(start, end, threshold);
            ref var output = ref MemoryMarshal.GetArrayDataReference(destination);
            ref var sides = ref MemoryMarshal.GetArrayDataReference(side);
            double leftSum = 0, leftWeight = 0, reverseSum = sumTotal, reverseWeight = weightNode;
            int current = start, front = start + 1, back = end - 1, leftWrite = start, rightWrite = end - 1;
            for (var t = 0; t < length; t++)
            {
                // mask: −1 when the row goes left, 0 when it goes right.
                var mask = Unsafe.Add(ref sides, current);
                var row = Unsafe.Add(ref rows, current);
                current = back + ((front - back) & mask);
                front -= mask;
                back -= 1 + mask;
                Unsafe.Add(ref output, leftWrite) = row;
                Unsafe.Add(ref output, rightWrite) = row;
                leftWrite -= mask;
                rightWrite -= 1 + mask;
                var wy = Unsafe.Add(ref weightedTarget0, row);
                var w = Unsafe.Add(ref weight0, row);
                double isLeft = -mask, isRight = 1 + mask;
                // Adding or subtracting ±0 leaves a sum unchanged, so these equal the branchy updates.
                leftSum += wy * isLeft;
                leftWeight += w * isLeft;
                reverseSum -= wy * isRight;
                reverseWeight -= w * isRight;
            }
            (source, destination) = (destination, source);

            var position = leftWrite;
            if (position - start < minLeaf || end - position < minLeaf)
            {
                continue;
            }
            double sumLeft, weightLeft;
            if (position - start <= end - position)
            {
                sumLeft = leftSum;
                weightLeft = leftWeight;
            }
            else
            {
                sumLeft = reverseSum;
                weightLeft = reverseWeight;
            }
            if (Improves<TCriterion>(sumLeft, weightLeft, ref bestProxy))
            {
                best.Feature = f;
                best.Position = position;
                best.Threshold = threshold;
            }
        }

        if (!ReferenceEquals(source, samples))
        {
            Array.Copy(source, start, samples, start, length);
        }
        if (best.Position < end)
        {
            if (currentFeature != best.Feature)
            {
                PartitionSamples(start, end, best.Feature, best.Threshold);
            }
            FinishSplit<TCriterion>(ref best, start, end, impurity);
        }

        constants = draws.Finish();
        return best;
    }

    /// <summary>
    /// <see cref="TreeSplitter.RandomVectorised"/>: RandomSplitter.node_split's draws (the same features in the same
    /// order, the same constants bookkeeping, the same thresholds) with every feature's minimum, maximum and left
    /// sums computed in one pass over the node's rows, eight features at a time, and the samples partitioned
    /// once, by the chosen feature. Needs MinSamplesLeaf = 1 (<see cref="TreeParameters"/>): a threshold in
    /// [min, max) always leaves both children a row.
    /// </summary>
    private SplitResult RandomSplitVectorised<TCriterion>(int start, int end, double impurity, ref int constants)
        where TCriterion : struct, ICriterion
    {
        var best = SplitResult.None(end);
        var stride = data.Stride;
        ref var x0 = ref MemoryMarshal.GetArrayDataReference(data.RowMajor);
        ref var samples0 = ref MemoryMarshal.GetArrayDataReference(samples);
        ref var min0 = ref MemoryMarshal.GetArrayDataReference(featureMin);
        ref var max0 = ref MemoryMarshal.GetArrayDataReference(featureMax);

        // Every feature's minimum and maximum over the node's rows.
        {
            ref var first = ref Unsafe.Add(ref x0, Unsafe.Add(ref samples0, start) * stride);
            for (var f = 0; f < stride; f += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref first, (nuint)f);
                v.StoreUnsafe(ref min0, (nuint)f);
                v.StoreUnsafe(ref max0, (nuint)f);
            }
            for (var k = start + 1; k < end; k++)
            {
                ref var row = ref Unsafe.Add(ref x0, Unsafe.Add(ref samples0, k) * stride);
                for (var f = 0; f < stride; f += Vector256<float>.Count)
                {
                    var v = Vector256.LoadUnsafe(ref row, (nuint)f);
                    Vector256.Min(Vector256.LoadUnsafe(ref min0, (nuint)f), v).StoreUnsafe(ref min0, (nuint)f);
                    Vector256.Max(Vector256.LoadUnsafe(ref max0, (nuint)f), v).StoreUnsafe(ref max0, (nuint)f);
                }
            }
        }

        // The draws, in scikit-learn's order.
        var thresholds = featureThreshold;
        Array.Fill(thresholds, double.NegativeInfinity);
        var count = 0;
        var draws = new FeatureDraws(this, constants);
        while (draws.Next(out var fj, out var f))
        {
            var min = Unsafe.Add(ref min0, f);
            var max = Unsafe.Add(ref max0, f);
            if (!draws.RandomThreshold(fj, min, max, out var threshold))
            {
                continue;
            }
            thresholds[f] = threshold;
            drawn[count++] = f;
        }

        if (count > 0)
        {
            // Each feature's weight and weighted target of the rows at most its threshold (none for features not drawn).
            ref var threshold0 = ref MemoryMarshal.GetArrayDataReference(thresholds);
            ref var sum0 = ref MemoryMarshal.GetArrayDataReference(featureLeftSum);
            ref var weightSum0 = ref MemoryMarshal.GetArrayDataReference(featureLeftWeight);
            ref var weightedTarget0 = ref MemoryMarshal.GetArrayDataReference(weightedTarget);
            ref var weight0 = ref MemoryMarshal.GetArrayDataReference(weight);
            for (var f = 0; f < stride; f += Vector256<float>.Count)
            {
                var lowLimit = Vector256.LoadUnsafe(ref threshold0, (nuint)f);
                var highLimit = Vector256.LoadUnsafe(ref threshold0, (nuint)(f + Vector256<double>.Count));
                Vector256<double> lowSum = default, highSum = default, lowWeight = default, highWeight = default;
                for (var k = start; k < end; k++)
                {
                    var r = Unsafe.Add(ref samples0, k);
                    var (low, high) = Vector256.Widen(Vector256.LoadUnsafe(ref Unsafe.Add(ref x0, r * stride), (nuint)f));
                    var wy = Vector256.Create(Unsafe.Add(ref weightedTarget0, r));
                    var w = Vector256.Create(Unsafe.Add(ref weight0, r));
                    var lowLeft = Vector256.LessThanOrEqual(low, lowLimit);
                    var highLeft = Vector256.LessThanOrEqual(high, highLimit);
                    lowSum += lowLeft & wy;
                    highSum += highLeft & wy;
                    lowWeight += lowLeft & w;
                    highWeight += highLeft & w;
                }
                lowSum.StoreUnsafe(ref sum0, (nuint)f);
                highSum.StoreUnsafe(ref sum0, (nuint)(f + Vector256<double>.Count));
                lowWeight.StoreUnsafe(ref weightSum0, (nuint)f);
                highWeight.StoreUnsafe(ref weightSum0, (nuint)(f + Vector256<double>.Count));
            }

            var bestProxy = double.NegativeInfinity;
            for (var c = 0; c < count; c++)
            {
                var f = drawn[c];
                var sumLeft = Unsafe.Add(ref sum0, f);
                var weightLeft = Unsafe.Add(ref weightSum0, f);
                if (Improves<TCriterion>(sumLeft, weightLeft, ref bestProxy))
                {
                    best.Feature = f;
                    best.Threshold = Unsafe.Add(ref threshold0, f);
                    best.Position = start;
                }
            }
            if (best.Position < end)
            {
                best.Position = PartitionSamples(start, end, best.Feature, best.Threshold);
                FinishSplit<TCriterion>(ref best, start, end, impurity);
            }
        }

        constants = draws.Finish();
        return best;
    }

    /// <summary>
    /// A random split's candidate against the best so far, as scikit-learn scores it: skipped when a side's weight
    /// rounded below 0, else better only when its proxy is strictly larger (ties keep the earlier feature).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Improves<TCriterion>(double sumLeft, double weightLeft, ref double bestProxy) where TCriterion : struct, ICriterion
    {
        var weightRight = weightNode - weightLeft;
        if (weightLeft < 0 || weightRight < 0)
        {
            return false;
        }
        var proxy = TCriterion.Proxy(sumLeft, sumTotal - sumLeft, weightLeft, weightRight);
        if (!(proxy > bestProxy))
        {
            return false;
        }
        bestProxy = proxy;
        return true;
    }

    /// <summary>
    /// side[k] = −1 when featureValues[k] ≤ threshold, else 0. The values are single precision, so comparing
    /// them with the largest float not above the double threshold gives the same answers, eight at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ClassifyAtMost(int start, int end, double threshold)
    {
        var limit = (float)threshold;
        if (limit > threshold)
        {
            limit = MathF.BitDecrement(limit);
        }
        var k = start;
        if (Vector256.IsHardwareAccelerated && end - start >= Vector256<float>.Count)
        {
            var limits = Vector256.Create(limit);
            ref var values = ref MemoryMarshal.GetArrayDataReference(featureValues);
            ref var sides = ref MemoryMarshal.GetArrayDataReference(side);
            for (; k <= end - Vector256<float>.Count; k += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref values, (nuint)k);
                Vector256.LessThanOrEqual(v, limits).AsInt32().StoreUnsafe(ref sides, (nuint)k);
            }
        }
        for (; k < end; k++)
        {
            side[k] = featureValues[k] <= limit ? -1 : 0;
        }
    }

    /// <summary>scikit-learn's in-place partition of samples[start:end] (rows at most the threshold first).</summary>
    private int PartitionSamples(int start, int end, int feature, double threshold)
    {
        var column = columns.AsSpan(feature * n, n);
        int q = start, partitionEnd = end;
        while (q < partitionEnd)
        {
            if (column[samples[q]] <= threshold)
            {
                q++;
            }
            else
            {
                partitionEnd--;
                (samples[q], samples[partitionEnd]) = (samples[partitionEnd], samples[q]);
            }
        }
        return q;
    }

    /// <summary>Criterion.reset + update(position) over the samples order.</summary>
    private void LeftSums(int start, int end, int position, out double sumLeft, out double weightLeft)
    {
        double sum, w;
        if (position - start <= end - position)
        {
            sum = 0;
            w = 0;
            for (var k = start; k < position; k++)
            {
                var i = samples[k];
                sum += weightedTarget[i];
                w += weight[i];
            }
        }
        else
        {
            sum = sumTotal;
            w = weightNode;
            for (var k = end - 1; k >= position; k--)
            {
                var i = samples[k];
                sum -= weightedTarget[i];
                w -= weight[i];
            }
        }
        sumLeft = sum;
        weightLeft = w;
    }

    /// <summary>The children's impurities and the split's improvement, from the partitioned samples.</summary>
    private void FinishSplit<TCriterion>(ref SplitResult best, int start, int end, double impurity)
        where TCriterion : struct, ICriterion
    {
        LeftSums(start, end, best.Position, out var sumLeft, out var weightLeft);
        var weightRight = weightNode - weightLeft;
        var sumRight = sumTotal - sumLeft;
        var squaresLeft = 0.0;
        for (var k = start; k < best.Position; k++)
        {
            var i = samples[k];
            squaresLeft += weightedTarget[i] * target[i];
        }
        var squaresRight = squaredSumTotal - squaresLeft;
        var meanLeft = sumLeft / weightLeft;
        var meanRight = sumRight / weightRight;
        best.ImpurityLeft = squaresLeft / weightLeft - meanLeft * meanLeft;
        best.ImpurityRight = squaresRight / weightRight - meanRight * meanRight;
        best.Improvement = TCriterion.Improvement(weightedSamples, weightNode, impurity, best.ImpurityLeft,
            best.ImpurityRight, sumLeft, sumRight, weightLeft, weightRight);
    }

    /// <summary>
    /// scikit-learn's feature loop of <c>node_split</c> (both splitters): Fisher–Yates draws among the features not
    /// yet visited, known constants (from the parent) set aside when drawn, features found constant here moved next
    /// to them; it ends when every feature is visited or <c>max_features</c> non-constant ones were.
    /// </summary>
    private ref struct FeatureDraws(TreeBuilder builder, int constants)
    {
        private readonly int known = constants;
        private int fi = builder.p;
        private int visited;
        private int found;
        private int drawnConstants;
        private int totalConstants = constants;

        /// <summary>The next feature to look at, and its position in the features array.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Next(out int position, out int feature)
        {
            var features = builder.features;
            while (fi > totalConstants && (visited < builder.parameters.MaxFeatures || visited <= found + drawnConstants))
            {
                visited++;
                var fj = SplitterRandom.NextInt(drawnConstants, fi - found, ref builder.random, builder.inverses);
                if (fj < known)
                {
                    (features[drawnConstants], features[fj]) = (features[fj], features[drawnConstants]);
                    drawnConstants++;
                    continue;
                }
                position = fj + found;
                feature = features[position];
                return true;
            }
            position = -1;
            feature = -1;
            return false;
        }

        /// <summary>The feature at <paramref name="position"/> is constant in this node.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Constant(int position)
        {
            var features = builder.features;
            (features[position], features[totalConstants]) = (features[totalConstants], features[position]);
            found++;
            totalConstants++;
        }

        /// <summary>The feature at <paramref name="position"/> is not constant: it is not drawn again in this node.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Usable(int position)
        {
            var features = builder.features;
            fi--;
            (features[fi], features[position]) = (features[position], features[fi]);
        }

        /// <summary>
        /// Extra trees: a feature whose node values span at most 1e-7 is set aside as constant (false); any other is
        /// marked visited and gets scikit-learn's uniform threshold between its minimum and maximum (the maximum
        /// itself replaced by the minimum, so that both children get rows).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool RandomThreshold(int position, float min, float max, out double threshold)
        {
            if (max <= (float)(min + FeatureThreshold))
            {
                Constant(position);
                threshold = 0;
                return false;
            }
            Usable(position);
            threshold = SplitterRandom.NextDouble(min, max, ref builder.random);
            if (threshold == max)
            {
                threshold = min;
            }
            return true;
        }

        /// <summary>Constants known so far: the parent's and those found in this node.</summary>
        public readonly int TotalConstants => totalConstants;

        /// <summary>Restores the known constants' order and returns the constants the children start with.</summary>
        public readonly int Finish()
        {
            builder.RestoreConstants(known, found);
            return totalConstants;
        }
    }

    /// <summary>Keeps the known constants in their original order for siblings and children, as scikit-learn does.</summary>
    private void RestoreConstants(int known, int found)
    {
        Array.Copy(constantFeatures, features, known);
        Array.Copy(features, known, constantFeatures, known, found);
    }

    private record struct StackRecord(int Start, int End, int Depth, int Parent, bool IsLeft, double Impurity, int Constants);

    private record struct SplitResult(int Feature, int Position, double Threshold, double ImpurityLeft, double ImpurityRight, double Improvement)
    {
        public static SplitResult None(int end) =>
            new(0, end, 0, double.PositiveInfinity, double.PositiveInfinity, double.NegativeInfinity);
    }
}
