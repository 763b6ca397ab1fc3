using SidsFunctions.Tests.Infrastructure;
using SidsModels.Clustering;
using SidsModels.Common;

namespace SidsFunctions.Tests.Models.Clustering;

public sealed class KMeansTests
{
    public static IEnumerable<object[]> ReferenceCases => Fixtures.CaseIndices("kmeans.json");

    /// <summary>
    /// kmeans.json: scikit-learn 1.2.1 KMeans(n_clusters=k, n_init=10) inertia on each case
    /// (shared/reference, tools/ref/make_reference.py). Our random draws differ from numpy's, so the partition
    /// may be another local optimum: the inertia must be within 1% of scikit-learn's, or lower. Which local
    /// optimum 10 restarts reach depends on the seed: on case 1 (62 rows, k = 4) scikit-learn itself ends
    /// above 1.01 × the reference for 5 of random_state 0–39, and we do for 6 of seeds 0–39. So this checks one
    /// fixed seed, and <see cref="InertiaOverManySeedsIsScikitLearnsOnAverage"/> checks the spread.
    /// </summary>
    [Theory]
    [Trait("Category", "Reference")]
    [MemberData(nameof(ReferenceCases))]
    public void InertiaIsAtMostOnePercentAboveScikitLearns(string file, int index)
    {
        var reference = Fixtures.Cases(file)[index];
        var x = FeatureMatrix.FromRows(Fixtures.Rows(reference["x"]));
        var k = reference["k"]!.GetValue<int>();
        var expected = reference["inertia"]!.GetValue<double>();

        var model = new KMeansLearner(new KMeansOptions(k) { Seed = 7 }).Learn(x);

        Assert.True(model.Inertia <= expected * 1.01, $"inertia {model.Inertia} above 1.01 × {expected}");
        Assert.Equal(x.Rows, model.Labels.Count);
        Assert.Equal(k, model.Labels.Distinct().Count());
        Assert.Equal(Inertia(x, model), model.Inertia, 9);
    }

    /// <summary>
    /// Over seeds 0–19 the mean inertia is within 0.5% of the reference (scikit-learn's own mean over
    /// random_state 0–39 is at most 0.18% above it on these cases; ours at most 0.19%).
    /// </summary>
    [Theory]
    [Trait("Category", "Reference")]
    [MemberData(nameof(ReferenceCases))]
    public void InertiaOverManySeedsIsScikitLearnsOnAverage(string file, int index)
    {
        var reference = Fixtures.Cases(file)[index];
        var x = FeatureMatrix.FromRows(Fixtures.Rows(reference["x"]));
        var k = reference["k"]!.GetValue<int>();
        var expected = reference["inertia"]!.GetValue<double>();
        var mean = Enumerable.Range(0, 20).Average(seed => new KMeansLearner(new KMeansOptions(k) { Seed = (ulong)seed }).Learn(x).Inertia);
        Assert.True(mean <= expected * 1.005, $"mean inertia {mean} above 1.005 × {expected}");
    }

    [Fact]
    public void TheReferenceFileHasCases() => Assert.NotEmpty(ReferenceCases);

    [Fact]
    public void SeparatedBlobsAreFoundExactly()
    {
        var (x, truth) = Blobs(new Rng(1), 3, 40, 4, spread: 0.3, distance: 10);
        var model = new KMeansLearner(new KMeansOptions(3) { Seed = 3 }).Learn(x);
        Assert.Equal(1.0, Agreement(model.Labels, truth));
        for (var c = 0; c < 3; c++)
        {
            var members = Enumerable.Range(0, x.Rows).Where(i => model.Labels[i] == c).ToArray();
            for (var j = 0; j < x.Columns; j++)
            {
                Assert.Equal(members.Average(i => x[i, j]), model.Centroid(c)[j], 9);
            }
        }
    }

    [Fact]
    public void OneClusterIsTheMean()
    {
        var x = FeatureMatrix.FromRows([[1.0, 2.0], [3.0, 6.0], [5.0, 1.0]]);
        var model = new KMeansLearner(new KMeansOptions(1)).Learn(x);
        Assert.Equal(3.0, model.Centroid(0)[0], 12);
        Assert.Equal(3.0, model.Centroid(0)[1], 12);
        // (4 + 1) + (0 + 9) + (4 + 4)
        Assert.Equal(22.0, model.Inertia, 9);
    }

    [Fact]
    public void TheSameSeedGivesTheSameModelWhateverTheParallelism()
    {
        var (x, _) = Blobs(new Rng(5), 4, 60, 3, spread: 1.5, distance: 3);
        var sequential = new KMeansLearner(new KMeansOptions(4) { Seed = 11, MaxDegreeOfParallelism = 1 }).Learn(x);
        var parallel = new KMeansLearner(new KMeansOptions(4) { Seed = 11, MaxDegreeOfParallelism = 4 }).Learn(x);
        Assert.Equal(sequential.Labels, parallel.Labels);
        Assert.Equal(sequential.Inertia, parallel.Inertia);
        Assert.Equal(sequential.CopyCentroids().Values.ToArray(), parallel.CopyCentroids().Values.ToArray());
    }

    [Fact]
    public void MoreRestartsNeverEndHigher()
    {
        var (x, _) = Blobs(new Rng(9), 6, 30, 2, spread: 2.0, distance: 3);
        var one = new KMeansLearner(new KMeansOptions(6) { Seed = 2, Restarts = 1 }).Learn(x);
        var ten = new KMeansLearner(new KMeansOptions(6) { Seed = 2, Restarts = 10 }).Learn(x);
        Assert.True(ten.Inertia <= one.Inertia);
    }

    [Fact]
    public void InitialCentroidsResumeAFitAndAreCopied()
    {
        var (x, _) = Blobs(new Rng(4), 3, 50, 2, spread: 1.0, distance: 6);
        var first = new KMeansLearner(new KMeansOptions(3) { Seed = 1 }).Learn(x);
        var start = first.CopyCentroids();
        var learner = new KMeansLearner(new KMeansOptions(3) { InitialCentroids = start });
        start[0, 0] = 1e6; // the learner kept its own copy
        var resumed = learner.Learn(x);
        Assert.Equal(first.Labels, resumed.Labels);
        Assert.Equal(first.Inertia, resumed.Inertia, 9);
        Assert.Equal(1, resumed.Iterations); // already converged: the labels do not change
    }

    [Fact]
    public void InitialCentroidsAreFollowedToTheirLocalOptimum()
    {
        // Two far groups; both centroids start in the left one: {0} | {1, 10, 11}, then {0, 1} | {10, 11}.
        var x = FeatureMatrix.FromRows([[0.0], [1.0], [10.0], [11.0]]);
        var start = FeatureMatrix.FromRows([[0.0], [1.0]]);
        var model = new KMeansLearner(new KMeansOptions(2) { InitialCentroids = start }).Learn(x);
        Assert.Equal([0, 0, 1, 1], model.Labels);
        Assert.Equal(0.5, model.Centroid(0)[0], 12);
        Assert.Equal(10.5, model.Centroid(1)[0], 12);
        Assert.Equal(1.0, model.Inertia, 12);
    }

    [Fact]
    public void PredictGivesTheNearestCentroidAndNearestRowsAreRealRows()
    {
        var (x, _) = Blobs(new Rng(2), 3, 20, 2, spread: 0.5, distance: 8);
        var model = new KMeansLearner(new KMeansOptions(3) { Seed = 5 }).Learn(x);
        for (var i = 0; i < x.Rows; i++)
        {
            Assert.Equal(model.Labels[i], model.Predict(x.Row(i)));
        }
        var nearest = model.NearestRows(x);
        Assert.Equal(3, nearest.Distinct().Count());
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(c, model.Labels[nearest[c]]);
        }
    }

    [Fact]
    public void DuplicatePointsWithMoreClustersThanDistinctRowsStillFit()
    {
        var x = FeatureMatrix.FromRows([[1.0], [1.0], [1.0], [5.0], [5.0]]);
        var model = new KMeansLearner(new KMeansOptions(3) { Seed = 1 }).Learn(x);
        Assert.Equal(0.0, model.Inertia, 12);
    }

    [Fact]
    public void BadInputIsRefused()
    {
        var x = FeatureMatrix.FromRows([[1.0], [double.NaN], [3.0]]);
        Assert.Throws<ArgumentException>(() => new KMeansLearner(new KMeansOptions(2)).Learn(x));
        Assert.Throws<ArgumentException>(() => new KMeansLearner(new KMeansOptions(4)).Learn(FeatureMatrix.FromRows([[1.0], [2.0]])));
        Assert.ThrowsAny<ArgumentException>(() => new KMeansLearner(new KMeansOptions(0)));
        Assert.Throws<ArgumentException>(() => new KMeansLearner(new KMeansOptions(2) { InitialCentroids = FeatureMatrix.FromRows([[1.0]]) }));
    }

    [Fact]
    public void CancellationStopsLearning()
    {
        var (x, _) = Blobs(new Rng(3), 3, 30, 2, spread: 1, distance: 4);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new KMeansLearner(new KMeansOptions(3)).Learn(x, cancelled.Token));
    }

    internal static double Inertia(FeatureMatrix x, KMeansModel model)
    {
        var total = 0.0;
        for (var i = 0; i < x.Rows; i++)
        {
            var centroid = model.Centroid(model.Labels[i]);
            for (var j = 0; j < x.Columns; j++)
            {
                total += (x[i, j] - centroid[j]) * (x[i, j] - centroid[j]);
            }
        }
        return total;
    }

    /// <summary>Gaussian blobs around centres <paramref name="distance"/> apart on a diagonal; returns the rows and their blob.</summary>
    internal static (FeatureMatrix X, int[] Truth) Blobs(Rng rng, int clusters, int perCluster, int features, double spread, double distance)
    {
        var rows = new List<double[]>();
        var truth = new List<int>();
        for (var c = 0; c < clusters; c++)
        {
            for (var i = 0; i < perCluster; i++)
            {
                var row = new double[features];
                for (var j = 0; j < features; j++)
                {
                    row[j] = (j % 2 == 0 ? c : c * (c % 2 == 0 ? 1 : -1)) * distance + spread * rng.NextGaussian();
                }
                rows.Add(row);
                truth.Add(c);
            }
        }
        return (FeatureMatrix.FromRows(rows), truth.ToArray());
    }

    /// <summary>Share of rows whose label maps to their true group under the best one-to-one matching.</summary>
    internal static double Agreement(IReadOnlyList<int> labels, IReadOnlyList<int> truth)
    {
        var labelSet = labels.Distinct().ToArray();
        var truthSet = truth.Distinct().ToArray();
        var best = 0;
        foreach (var permutation in Permutations(truthSet.Length, Math.Max(labelSet.Length, truthSet.Length)))
        {
            var map = new Dictionary<int, int>();
            for (var i = 0; i < labelSet.Length; i++)
            {
                map[labelSet[i]] = permutation[i] < truthSet.Length ? truthSet[permutation[i]] : -1;
            }
            best = Math.Max(best, labels.Where((l, i) => map[l] == truth[i]).Count());
        }
        return (double)best / labels.Count;
    }

    private static IEnumerable<int[]> Permutations(int _, int n)
    {
        var items = Enumerable.Range(0, n).ToArray();
        return Permute(items, 0);

        static IEnumerable<int[]> Permute(int[] items, int start)
        {
            if (start == items.Length)
            {
                yield return (int[])items.Clone();
                yield break;
            }
            for (var i = start; i < items.Length; i++)
            {
                (items[start], items[i]) = (items[i], items[start]);
                foreach (var p in Permute(items, start + 1))
                {
                    yield return p;
                }
                (items[start], items[i]) = (items[i], items[start]);
            }
        }
    }
}
