using System.Collections.ObjectModel;
using SidsModels.Common;

namespace SidsModels.Clustering;

/// <summary>
/// Hyper-parameters of k-means, with scikit-learn 1.2.1's defaults: 10 restarts from k-means++ seeds,
/// at most 300 Lloyd iterations, tolerance 1e-4 relative to the mean feature variance.
/// </summary>
/// <param name="Clusters">k, at least 1 and at most the number of rows learned from.</param>
public sealed record KMeansOptions(int Clusters)
{
    /// <summary>Runs from different k-means++ seeds (scikit-learn's n_init); the lowest inertia wins. Ignored (one run) with <see cref="InitialCentroids"/>.</summary>
    public int Restarts { get; init; } = 10;

    public int MaxIterations { get; init; } = 300;

    /// <summary>A run stops when the centroids moved less than this times the mean feature variance (squared, summed).</summary>
    public double Tolerance { get; init; } = 1e-4;

    public ulong Seed { get; init; }

    /// <summary>
    /// Start from these centroids (Clusters × features) instead of k-means++: one run, as scikit-learn does
    /// with an array init. The learner copies them. Used to resume from a previous fit (EM gap filling).
    /// </summary>
    public FeatureMatrix? InitialCentroids { get; init; }

    /// <summary>Restarts run at once; 0 means <see cref="Environment.ProcessorCount"/>. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; }
}

/// <summary>
/// k-means as scikit-learn 1.2.1 computes it (Lloyd's algorithm): greedy k-means++ seeding with
/// 2 + ⌊ln k⌋ local trials per centre, Lloyd iterations that stop when the labels no longer change
/// (strict convergence) or the squared centre shift falls to the tolerance, empty clusters refilled with
/// the points farthest from their centres, and the run of lowest inertia kept. Each restart draws its own
/// generator from the seed in order, so parallel and sequential runs give the same model.
/// </summary>
public sealed class KMeansLearner
{
    private readonly KMeansOptions options;
    private readonly double[]? initialCentroids;

    public KMeansLearner(KMeansOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Clusters, 1, nameof(options.Clusters));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Restarts, 1, nameof(options.Restarts));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIterations, 1, nameof(options.MaxIterations));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxDegreeOfParallelism, nameof(options.MaxDegreeOfParallelism));
        if (!(options.Tolerance >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Tolerance must be a non-negative number.");
        }
        if (options.InitialCentroids is { } initial)
        {
            if (initial.Rows != options.Clusters)
            {
                throw new ArgumentException($"InitialCentroids has {initial.Rows} rows, expected {options.Clusters} (one per cluster).", nameof(options));
            }
            if (initial.HasMissing())
            {
                throw new ArgumentException("InitialCentroids holds NaN.", nameof(options));
            }
            initialCentroids = initial.Values.ToArray();
        }
        this.options = options;
    }

    public KMeansOptions Options => options;

    /// <summary>Clusters the rows of <paramref name="x"/>.</summary>
    /// <param name="x">Samples × features, no NaN (fill gaps first), at least <see cref="KMeansOptions.Clusters"/> rows.</param>
    public KMeansModel Learn(FeatureMatrix x, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        var k = options.Clusters;
        if (x.Rows < k)
        {
            throw new ArgumentException($"k-means with {k} clusters needs at least {k} rows, got {x.Rows}.", nameof(x));
        }
        if (x.HasMissing())
        {
            throw new ArgumentException("k-means needs complete data: x holds NaN.", nameof(x));
        }
        if (initialCentroids is not null && x.Columns * k != initialCentroids.Length)
        {
            throw new ArgumentException($"InitialCentroids has {initialCentroids.Length / k} features, x has {x.Columns}.", nameof(x));
        }

        // Centre the data as scikit-learn does (fewer cancellation errors in the distances); inertia is unchanged.
        var n = x.Rows;
        var d = x.Columns;
        var data = x.Values.ToArray();
        var means = ColumnMeans(data, n, d);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++)
            {
                data[i * d + j] -= means[j];
            }
        }
        var tolerance = MeanVariance(data, n, d) * options.Tolerance;

        KMeansRun best;
        if (initialCentroids is not null)
        {
            var start = (double[])initialCentroids.Clone();
            for (var c = 0; c < k; c++)
            {
                for (var j = 0; j < d; j++)
                {
                    start[c * d + j] -= means[j];
                }
            }
            best = Lloyd(data, n, d, k, start, options.MaxIterations, tolerance, cancellationToken);
        }
        else
        {
            var root = new Rng(options.Seed);
            var generators = new Rng[options.Restarts];
            for (var r = 0; r < generators.Length; r++)
            {
                generators[r] = root.Next();
            }
            var runs = new KMeansRun[options.Restarts];
            ParallelRuns.For(runs.Length, options.MaxDegreeOfParallelism, cancellationToken, r =>
            {
                var start = PlusPlus(data, n, d, k, generators[r]);
                runs[r] = Lloyd(data, n, d, k, start, options.MaxIterations, tolerance, cancellationToken);
            });
            // scikit-learn keeps the first run unless a later one has lower inertia and a different partition.
            best = runs[0];
            for (var r = 1; r < runs.Length; r++)
            {
                if (runs[r].Inertia < best.Inertia && !SamePartition(runs[r].Labels, best.Labels, k))
                {
                    best = runs[r];
                }
            }
        }

        var centroids = best.Centroids;
        for (var c = 0; c < k; c++)
        {
            for (var j = 0; j < d; j++)
            {
                centroids[c * d + j] += means[j];
            }
        }
        return new KMeansModel(k, d, centroids, best.Labels, best.Inertia, best.Iterations);
    }

    private sealed record KMeansRun(double[] Centroids, int[] Labels, double Inertia, int Iterations);

    /// <summary>Greedy k-means++ (scikit-learn's _kmeans_plusplus): each new centre is the best of 2 + ⌊ln k⌋ D²-sampled candidates.</summary>
    internal static double[] PlusPlus(double[] data, int n, int d, int k, Rng rng)
    {
        var centers = new double[k * d];
        var localTrials = 2 + (int)Math.Log(k);
        var first = rng.NextInt(n);
        Array.Copy(data, first * d, centers, 0, d);
        var closest = new double[n];
        var potential = 0.0;
        for (var i = 0; i < n; i++)
        {
            closest[i] = Distance.SquaredEuclidean(data.AsSpan(i * d, d), centers.AsSpan(0, d));
            potential += closest[i];
        }
        var cumulative = new double[n];
        var candidateDistances = new double[n];
        var bestDistances = new double[n];
        for (var c = 1; c < k; c++)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += closest[i];
                cumulative[i] = sum;
            }
            var bestCandidate = -1;
            var bestPotential = double.PositiveInfinity;
            for (var t = 0; t < localTrials; t++)
            {
                var target = rng.NextDouble() * potential;
                var candidate = Math.Min(LowerBound(cumulative, target), n - 1);
                var candidatePotential = 0.0;
                var row = data.AsSpan(candidate * d, d);
                for (var i = 0; i < n; i++)
                {
                    var distance = Math.Min(closest[i], Distance.SquaredEuclidean(data.AsSpan(i * d, d), row));
                    candidateDistances[i] = distance;
                    candidatePotential += distance;
                }
                if (candidatePotential < bestPotential)
                {
                    bestPotential = candidatePotential;
                    bestCandidate = candidate;
                    (bestDistances, candidateDistances) = (candidateDistances, bestDistances);
                }
            }
            Array.Copy(data, bestCandidate * d, centers, c * d, d);
            potential = bestPotential;
            (closest, bestDistances) = (bestDistances, closest);
        }
        return centers;
    }

    // numpy.searchsorted(side="left"): the first index whose value is ≥ target.
    private static int LowerBound(double[] sorted, double target)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (sorted[middle] < target)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    private static KMeansRun Lloyd(double[] data, int n, int d, int k, double[] centers, int maxIterations, double tolerance,
        CancellationToken cancellationToken)
    {
        var next = new double[k * d];
        var counts = new int[k];
        var labels = new int[n];
        var previous = new int[n];
        Array.Fill(previous, -1);
        var bounds = new HamerlyBounds(data, n, d, k);
        var strict = false;
        var iterations = 0;
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            iterations = iteration + 1;
            bounds.Assign(centers, labels);
            var shift = UpdateCenters(data, n, d, k, centers, next, counts, labels);
            bounds.Moved(centers, next, labels);
            (centers, next) = (next, centers);
            if (labels.AsSpan().SequenceEqual(previous))
            {
                strict = true;
                break;
            }
            if (shift <= tolerance)
            {
                break;
            }
            labels.CopyTo(previous, 0);
        }
        if (!strict)
        {
            // The labels belong to the centres before the last update: assign once more to the final ones.
            bounds.Assign(centers, labels);
        }
        var inertia = 0.0;
        for (var i = 0; i < n; i++)
        {
            inertia += Distance.SquaredEuclidean(data.AsSpan(i * d, d), centers.AsSpan(labels[i] * d, d));
        }
        return new KMeansRun(centers, labels, inertia, iterations);
    }

    /// <summary>
    /// Hamerly's bounds (2010), which give Lloyd's assignments while skipping most distance computations: per
    /// row an upper bound on the distance to its centre and a lower bound on the distance to any other; a row
    /// whose upper bound is below the lower one, or below half the distance from its centre to the nearest
    /// other centre, keeps its centre. Bounds follow the centres as they move. (Only an exact tie between two
    /// centres can be resolved differently from plain Lloyd, which takes the first.)
    /// </summary>
    private sealed class HamerlyBounds(double[] data, int n, int d, int k)
    {
        private readonly double[] upper = new double[n];
        private readonly double[] lower = new double[n];
        private readonly double[] half = new double[k];
        private bool started;

        public void Assign(double[] centers, int[] labels)
        {
            if (!started)
            {
                for (var i = 0; i < n; i++)
                {
                    Full(i, centers, labels);
                }
                started = true;
                return;
            }
            for (var c = 0; c < k; c++)
            {
                var nearest = double.PositiveInfinity;
                for (var other = 0; other < k; other++)
                {
                    if (other != c)
                    {
                        nearest = Math.Min(nearest, Distance.SquaredEuclidean(centers.AsSpan(c * d, d), centers.AsSpan(other * d, d)));
                    }
                }
                half[c] = 0.5 * Math.Sqrt(nearest);
            }
            for (var i = 0; i < n; i++)
            {
                var a = labels[i];
                var bound = Math.Max(half[a], lower[i]);
                if (upper[i] <= bound)
                {
                    continue;
                }
                upper[i] = Math.Sqrt(Distance.SquaredEuclidean(data.AsSpan(i * d, d), centers.AsSpan(a * d, d)));
                if (upper[i] <= bound)
                {
                    continue;
                }
                Full(i, centers, labels);
            }
        }

        private void Full(int i, double[] centers, int[] labels)
        {
            var row = data.AsSpan(i * d, d);
            var best = 0;
            var bestDistance = double.PositiveInfinity;
            var second = double.PositiveInfinity;
            for (var c = 0; c < k; c++)
            {
                var distance = Distance.SquaredEuclidean(row, centers.AsSpan(c * d, d));
                if (distance < bestDistance)
                {
                    second = bestDistance;
                    bestDistance = distance;
                    best = c;
                }
                else if (distance < second)
                {
                    second = distance;
                }
            }
            labels[i] = best;
            upper[i] = Math.Sqrt(bestDistance);
            lower[i] = Math.Sqrt(second);
        }

        /// <summary>Widens the bounds by how far the centres moved.</summary>
        public void Moved(double[] before, double[] after, int[] labels)
        {
            var first = -1;
            double largest = 0, runnerUp = 0;
            var moved = new double[k];
            for (var c = 0; c < k; c++)
            {
                moved[c] = Math.Sqrt(Distance.SquaredEuclidean(before.AsSpan(c * d, d), after.AsSpan(c * d, d)));
                if (moved[c] > largest)
                {
                    runnerUp = largest;
                    largest = moved[c];
                    first = c;
                }
                else if (moved[c] > runnerUp)
                {
                    runnerUp = moved[c];
                }
            }
            for (var i = 0; i < n; i++)
            {
                var a = labels[i];
                upper[i] += moved[a];
                lower[i] -= a == first ? runnerUp : largest;
            }
        }
    }

    internal static int Nearest(ReadOnlySpan<double> row, ReadOnlySpan<double> centers, int k, int d, out double distance)
    {
        var best = 0;
        distance = double.PositiveInfinity;
        for (var c = 0; c < k; c++)
        {
            var current = Distance.SquaredEuclidean(row, centers.Slice(c * d, d));
            if (current < distance)
            {
                distance = current;
                best = c;
            }
        }
        return best;
    }

    // New centres as the means of their points; an empty cluster takes the point farthest from its old
    // centre (scikit-learn's relocation, labels left as they are). Returns the squared centre shift.
    private static double UpdateCenters(double[] data, int n, int d, int k, double[] centers, double[] next, int[] counts, int[] labels)
    {
        Array.Clear(next);
        Array.Clear(counts);
        for (var i = 0; i < n; i++)
        {
            var c = labels[i];
            counts[c]++;
            var row = data.AsSpan(i * d, d);
            var sum = next.AsSpan(c * d, d);
            for (var j = 0; j < d; j++)
            {
                sum[j] += row[j];
            }
        }
        var empty = 0;
        for (var c = 0; c < k; c++)
        {
            if (counts[c] == 0)
            {
                empty++;
            }
        }
        if (empty > 0)
        {
            var far = new double[n];
            for (var i = 0; i < n; i++)
            {
                far[i] = Distance.SquaredEuclidean(data.AsSpan(i * d, d), centers.AsSpan(labels[i] * d, d));
            }
            var order = new int[n];
            for (var i = 0; i < n; i++)
            {
                order[i] = i;
            }
            Array.Sort(order, (a, b) => far[b] != far[a] ? far[b].CompareTo(far[a]) : a.CompareTo(b));
            var taken = 0;
            for (var c = 0; c < k; c++)
            {
                if (counts[c] != 0)
                {
                    continue;
                }
                var point = order[taken++];
                var from = labels[point];
                var row = data.AsSpan(point * d, d);
                for (var j = 0; j < d; j++)
                {
                    next[from * d + j] -= row[j];
                    next[c * d + j] = row[j];
                }
                counts[from]--;
                counts[c] = 1;
            }
        }
        var shift = 0.0;
        for (var c = 0; c < k; c++)
        {
            var sum = next.AsSpan(c * d, d);
            if (counts[c] > 0)
            {
                var scale = 1.0 / counts[c];
                for (var j = 0; j < d; j++)
                {
                    sum[j] *= scale;
                }
            }
            shift += Distance.SquaredEuclidean(sum, centers.AsSpan(c * d, d));
        }
        return shift;
    }

    // scikit-learn's _is_same_clustering: the labels are one relabelling of the other.
    private static bool SamePartition(int[] a, int[] b, int k)
    {
        var map = new int[k];
        Array.Fill(map, -1);
        for (var i = 0; i < a.Length; i++)
        {
            if (map[a[i]] == -1)
            {
                map[a[i]] = b[i];
            }
            else if (map[a[i]] != b[i])
            {
                return false;
            }
        }
        return true;
    }

    private static double[] ColumnMeans(double[] data, int n, int d)
    {
        var means = new double[d];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++)
            {
                means[j] += data[i * d + j];
            }
        }
        for (var j = 0; j < d; j++)
        {
            means[j] /= n;
        }
        return means;
    }

    // Mean over features of the population variance (numpy's var, ddof 0) of data already centred.
    private static double MeanVariance(double[] centred, int n, int d)
    {
        if (d == 0)
        {
            return 0;
        }
        var total = 0.0;
        for (var i = 0; i < centred.Length; i++)
        {
            total += centred[i] * centred[i];
        }
        return total / n / d;
    }
}

/// <summary>A fitted k-means clustering: immutable and safe to use from several threads.</summary>
public sealed class KMeansModel
{
    private readonly double[] centroids;
    private readonly int[] labels;

    internal KMeansModel(int clusters, int featureCount, double[] centroids, int[] labels, double inertia, int iterations)
    {
        Clusters = clusters;
        FeatureCount = featureCount;
        this.centroids = centroids;
        this.labels = labels;
        Labels = new ReadOnlyCollection<int>(labels);
        Inertia = inertia;
        Iterations = iterations;
    }

    public int Clusters { get; }

    public int FeatureCount { get; }

    /// <summary>The cluster (0 … k−1) of each row learned from, in row order.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>Sum of squared distances of the rows to their centroids (scikit-learn's inertia_).</summary>
    public double Inertia { get; }

    /// <summary>Lloyd iterations of the winning run.</summary>
    public int Iterations { get; }

    /// <summary>The centroid of one cluster.</summary>
    public ReadOnlySpan<double> Centroid(int cluster) => centroids.AsSpan(cluster * FeatureCount, FeatureCount);

    /// <summary>A copy of the centroids (clusters × features), e.g. to start the next fit from: <c>options with { InitialCentroids = model.CopyCentroids() }</c>.</summary>
    public FeatureMatrix CopyCentroids() => new(Clusters, FeatureCount, (double[])centroids.Clone());

    /// <summary>The nearest cluster of a row (the first on a tie).</summary>
    public int Predict(ReadOnlySpan<double> row)
    {
        if (row.Length != FeatureCount)
        {
            throw new ArgumentException($"Expected {FeatureCount} features, got {row.Length}.", nameof(row));
        }
        return KMeansLearner.Nearest(row, centroids, Clusters, FeatureCount, out _);
    }

    /// <summary>
    /// For each centroid, the index of the row of <paramref name="x"/> nearest to it (the first on a tie):
    /// the "real centroids", as scipy.cluster.vq.vq(centroids, x) finds them.
    /// </summary>
    public int[] NearestRows(FeatureMatrix x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Columns != FeatureCount || x.Rows == 0)
        {
            throw new ArgumentException($"Expected at least one row of {FeatureCount} features.", nameof(x));
        }
        var result = new int[Clusters];
        for (var c = 0; c < Clusters; c++)
        {
            var centroid = Centroid(c);
            var best = double.PositiveInfinity;
            for (var i = 0; i < x.Rows; i++)
            {
                var distance = Distance.SquaredEuclidean(x.Row(i), centroid);
                if (distance < best)
                {
                    best = distance;
                    result[c] = i;
                }
            }
        }
        return result;
    }

    /// <summary>The labels as an array (a copy).</summary>
    public int[] CopyLabels() => (int[])labels.Clone();
}
