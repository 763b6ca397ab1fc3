using BenchmarkDotNet.Attributes;
using SidsModels.Data;
using SidsModels.Interpolation;
using SidsModels.StatImpute;

namespace SidsBenchmarks;

/// <summary>
/// The /statimpute/impute light path: one country's series of one indicator imputed on the sample
/// dataset (20 years), per method, and the interpolation kernel alone on a 20-year series.
///   dotnet run -c Release --project bench/SidsBenchmarks -- --filter '*InterpolationBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class InterpolationBenchmarks
{
    private const string Target = "wdi-EG.ELC.ACCS.ZS";
    private StatImputeModel model = null!;
    private string country = null!;
    private InterpolationSettings settings = null!;
    private double[] years = null!;
    private double[] values = null!;
    private double[] result = null!;

    [Params("linear", "cubic", "spline", "pchip", "cubicspline")]
    public string Method { get; set; } = "linear";

    [GlobalSetup]
    public void Setup()
    {
        var files = SampleDataset.Generate();
        var table = IndicatorTableLoader.Load(new MemoryStream(files[IndicatorTableLoader.IndicatorMetaFile]),
            new MemoryStream(files[IndicatorTableLoader.DatasetMetaFile]), new MemoryStream(files[IndicatorTableLoader.IndicatorDataFile]));
        model = new StatImputeModel(table);
        var indicator = table.IndicatorIndexOf(Target);
        // The SIDS country with the most gaps that still has 8 observed years: every method has work to do.
        country = model.Countries(Target)
            .Select(c => (Code: c, Series: table.Series(table.CountryIndexOf(c), indicator)))
            .Where(c => c.Series.Count(v => !double.IsNaN(v)) >= 8)
            .OrderByDescending(c => c.Series.Count(double.IsNaN))
            .First().Code;
        var method = Method switch
        {
            "cubic" => InterpolationMethod.Cubic,
            "spline" => InterpolationMethod.Spline,
            "pchip" => InterpolationMethod.Pchip,
            "cubicspline" => InterpolationMethod.CubicSpline,
            _ => InterpolationMethod.Linear,
        };
        settings = new InterpolationSettings(method, LimitDirection.Both, method == InterpolationMethod.Spline ? 3 : null);
        years = table.Years.Select(y => (double)y).ToArray();
        values = table.Series(table.CountryIndexOf(country), indicator);
        result = new double[values.Length];
    }

    [Benchmark(Description = "StatImpute one country")]
    public ImputedSeries ImputeOneCountry() => model.Impute(Target, country, settings);

    [Benchmark(Description = "Interpolate 20 years")]
    public double[] InterpolateSeries()
    {
        SeriesInterpolation.Interpolate(years, values, settings, result);
        return result;
    }
}
