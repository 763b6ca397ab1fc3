using System.Collections.ObjectModel;
using SidsModels.Common;

namespace SidsModels.Clustering;

/// <summary>Hyper-parameters of k-prototypes, with the kmodes package's defaults (10 restarts, at most 100 iterations, gamma from the data).</summary>
/// <param name="Clusters">k, at least 1 and at most the number of distinct rows learned from.</param>
public sealed record KPrototypesOptions(int Clusters)
{
    /// <summary>Runs from different Huang initialisations; the lowest cost wins (the first on a tie).</summary>
    public int Restarts { get; init; } = 10;

    public int MaxIterations { get; init; } = 100;

    /// <summary>Weight of one categorical mismatch against squared numeric distance; null: <see cref="KPrototypesLearner.DefaultGamma"/>.</summary>
    public double? Gamma { get; init; }

    public ulong Seed { get; init; }

    /// <summary>Restarts run at once; 0 means <see cref="Environment.ProcessorCount"/>. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; }
}

/// <summary>
/// k-prototypes for mixed data (Huang 1997) as the kmodes package runs it with init="Huang": the cost of a row
/// to a prototype is the squared euclidean distance on the numeric attributes plus gamma times the number of
/// categorical attributes that differ from the prototype's modes. Huang's initialisation draws k values of
/// each categorical attribute in proportion to their frequencies and replaces each drawn prototype by the
/// nearest row (matching dissimilarity) whose categories differ from those already chosen; the prototype
/// takes that row's numeric values too (the package draws them from a normal distribution, which leaves
/// clusters empty, retries and finally raises on small surveys). When fewer than k rows have distinct
/// categories, k distinct random rows start the run instead. Rows then move one at a time to a strictly
/// cheaper prototype, both prototypes updated at once, until a pass moves nothing.
/// </summary>
public sealed class KPrototypesLearner
{
    private readonly KPrototypesOptions options;

    public KPrototypesLearner(KPrototypesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Clusters, 1, nameof(options.Clusters));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Restarts, 1, nameof(options.Restarts));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIterations, 1, nameof(options.MaxIterations));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxDegreeOfParallelism, nameof(options.MaxDegreeOfParallelism));
        if (options.Gamma is { } gamma && !(gamma > 0 && double.IsFinite(gamma)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Gamma must be a positive finite number.");
        }
        this.options = options;
    }

    public KPrototypesOptions Options => options;

    /// <summary>
    /// The kmodes package's gamma: half the mean, over numeric columns, of their population standard
    /// deviations (numpy's std, ddof 0): <c>0.5 * np.mean(Xnum.std(axis=0))</c>. When every numeric column is
    /// constant that is 0, and 1 is used instead: the numeric part then separates nothing, and any positive
    /// weight gives the same clusters as k-modes.
    /// </summary>
    public static double DefaultGamma(FeatureMatrix numeric)
    {
        ArgumentNullException.ThrowIfNull(numeric);
        if (numeric.Columns == 0 || numeric.Rows == 0)
        {
            return 1.0;
        }
        var total = 0.0;
        for (var j = 0; j < numeric.Columns; j++)
        {
            var mean = 0.0;
            for (var i = 0; i < numeric.Rows; i++)
            {
                mean += numeric[i, j];
            }
            mean /= numeric.Rows;
            var variance = 0.0;
            for (var i = 0; i < numeric.Rows; i++)
            {
                var d = numeric[i, j] - mean;
                variance += d * d;
            }
            total += Math.Sqrt(variance / numeric.Rows);
        }
        var gamma = 0.5 * total / numeric.Columns;
        return gamma > 0 && double.IsFinite(gamma) ? gamma : 1.0;
    }

    /// <param name="numeric">Rows × numeric attributes (at least one), no NaN.</param>
    /// <param name="categorical">The same rows × categorical attributes (at least one).</param>
    public KPrototypesModel Learn(FeatureMatrix numeric, CategoricalMatrix categorical, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(numeric);
        ArgumentNullException.ThrowIfNull(categorical);
        if (numeric.Rows != categorical.Rows)
        {
            throw new ArgumentException($"numeric has {numeric.Rows} rows, categorical {categorical.Rows}.", nameof(categorical));
        }
        if (numeric.Columns == 0 || categorical.Columns == 0)
        {
            throw new ArgumentException("k-prototypes needs numeric and categorical attributes (use k-means or k-modes otherwise).", nameof(numeric));
        }
        if (numeric.HasMissing())
        {
            throw new ArgumentException("k-prototypes needs complete numeric data: it holds NaN.", nameof(numeric));
        }
        var gamma = options.Gamma ?? DefaultGamma(numeric);
        var data = new PrototypeData(numeric.Values.ToArray(), numeric.Columns, categorical, gamma);
        var run = PrototypeClustering.Fit(data, options.Clusters, options.Restarts, options.MaxIterations, options.Seed,
            options.MaxDegreeOfParallelism, cancellationToken);
        return new KPrototypesModel(options.Clusters, numeric.Columns, categorical.Columns, gamma, run.Means, run.Modes, run.Labels, run.Cost,
            run.Iterations);
    }
}

/// <summary>A fitted k-prototypes clustering: immutable and safe to use from several threads.</summary>
public sealed class KPrototypesModel
{
    private readonly double[] means;
    private readonly int[] modes;

    internal KPrototypesModel(int clusters, int numericCount, int categoricalCount, double gamma, double[] means, int[] modes, int[] labels,
        double cost, int iterations)
    {
        Clusters = clusters;
        NumericCount = numericCount;
        CategoricalCount = categoricalCount;
        Gamma = gamma;
        this.means = means;
        this.modes = modes;
        Labels = new ReadOnlyCollection<int>(labels);
        Cost = cost;
        Iterations = iterations;
    }

    public int Clusters { get; }

    public int NumericCount { get; }

    public int CategoricalCount { get; }

    /// <summary>The weight of a categorical mismatch that was used.</summary>
    public double Gamma { get; }

    /// <summary>The cluster (0 … k−1) of each row learned from, in row order.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>Total cost of the rows to their prototypes (the package's cost_).</summary>
    public double Cost { get; }

    public int Iterations { get; }

    public ReadOnlySpan<double> Means(int cluster) => means.AsSpan(cluster * NumericCount, NumericCount);

    public ReadOnlySpan<int> Mode(int cluster) => modes.AsSpan(cluster * CategoricalCount, CategoricalCount);

    /// <summary>The prototype of lowest cost for a row (the first on a tie).</summary>
    public int Predict(ReadOnlySpan<double> numeric, ReadOnlySpan<int> categorical)
    {
        if (numeric.Length != NumericCount || categorical.Length != CategoricalCount)
        {
            throw new ArgumentException($"Expected {NumericCount} numeric and {CategoricalCount} categorical values.", nameof(numeric));
        }
        var best = 0;
        var bestCost = double.PositiveInfinity;
        for (var c = 0; c < Clusters; c++)
        {
            var cost = Distance.SquaredEuclidean(numeric, Means(c)) + Gamma * Distance.Mismatches(categorical, Mode(c));
            if (cost < bestCost)
            {
                bestCost = cost;
                best = c;
            }
        }
        return best;
    }
}
