using BenchmarkDotNet.Attributes;
using SidsModels.Common;
using SidsModels.Imputation;
using SidsModels.Statistics;

namespace SidsBenchmarks;

/// <summary>
/// The two-level model's KNN interpolation at the size of its predictor tables (about 200 countries ×
/// 150 indicators, a fifth missing): MinMax scaling fitted on the training rows, KNN (5 neighbours) fitted
/// on them, training and prediction rows imputed and scaled back — and the distance kernel alone.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class KnnImputationBenchmarks
{
    private FeatureMatrix train = null!;
    private FeatureMatrix test = null!;

    [Params(150)]
    public int Columns { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        train = Synthetic(200, Columns, seed: 1);
        test = Synthetic(40, Columns, seed: 2);
    }

    internal static FeatureMatrix Synthetic(int rows, int columns, int seed)
    {
        var rng = new Rng(seed);
        var x = new FeatureMatrix(rows, columns);
        for (var r = 0; r < rows; r++)
        {
            var level = rng.NextGaussian();
            for (var c = 0; c < columns; c++)
            {
                x[r, c] = rng.NextDouble() < 0.2 ? double.NaN : level * (1 + c % 7) + rng.NextGaussian() * 3 + c;
            }
        }
        return x;
    }

    [Benchmark]
    public (FeatureMatrix Train, FeatureMatrix Test) ScaledKnnPipeline()
    {
        var scaler = MinMaxScaler.Fit(train);
        var imputer = new KnnImputer(new KnnImputerOptions(Neighbours: 5)).Fit(scaler.Transform(train));
        var back = scaler.SelectColumns(imputer.KeptColumns.ToArray());
        return (back.InverseTransform(imputer.Transform(scaler.Transform(train))),
                back.InverseTransform(imputer.Transform(scaler.Transform(test))));
    }

    [Benchmark]
    public double AllPairDistances()
    {
        var sum = 0.0;
        for (var a = 0; a < train.Rows; a++)
        {
            for (var b = 0; b < train.Rows; b++)
            {
                sum += NanEuclidean.Distance(train.Row(a), train.Row(b));
            }
        }
        return sum;
    }
}
