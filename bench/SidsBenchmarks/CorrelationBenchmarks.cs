using BenchmarkDotNet.Attributes;
using SidsModels.Common;
using SidsModels.Imputation;
using SidsModels.Statistics;

namespace SidsBenchmarks;

/// <summary>
/// pandas-exact pairwise correlation at the two-level model's table size (200 × 150): complete (after
/// imputation: the shared-deviation shortcut) and with a fifth missing (the pairwise running update);
/// and one long pair, as the country-correlation model computes.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class CorrelationBenchmarks
{
    private FeatureMatrix complete = null!;
    private FeatureMatrix withMissing = null!;
    private double[] x = null!;
    private double[] y = null!;

    [GlobalSetup]
    public void Setup()
    {
        withMissing = KnnImputationBenchmarks.Synthetic(200, 150, seed: 3);
        complete = MeanImputer.Fit(withMissing).Transform(withMissing);
        var long_ = KnnImputationBenchmarks.Synthetic(5000, 2, seed: 4);
        x = long_.Column(0);
        y = long_.Column(1);
    }

    [Benchmark]
    public FeatureMatrix MatrixComplete() => Correlation.Matrix(complete);

    [Benchmark]
    public FeatureMatrix MatrixWithMissing() => Correlation.Matrix(withMissing);

    [Benchmark]
    public double PairOf5000() => Correlation.Pearson(x, y);
}
