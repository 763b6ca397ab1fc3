using System.Globalization;
using System.Text.Json.Nodes;
using SidsFunctions.Hosting.Requests;
using SidsFunctions.Tests.Infrastructure;
using SidsModels.Interpolation;
using SidsModels.StatImpute;

namespace SidsFunctions.Tests.Models.StatImpute;

/// <summary>
/// Parity with the Python backend's recorded /statimpute/impute answers on the real WDI data
/// (Fixtures/upstream/api-upstream.json). Each answer is turned back into its input series — the
/// columns not in missing_years are observed, the columns in missing_years and the dataset's years
/// absent from the columns are missing — and the model must give the recorded imputed_series
/// (years exactly, values to a relative 1e-6) and missing_years (as a set).
/// </summary>
[Trait("Category", "Reference")]
public sealed class StatImputeUpstreamTests
{
    private const double Relative = 1e-6;
    private static readonly Lazy<JsonObject[]> Recorded = new(() => Fixtures.Upstream("api-upstream.json").AsArray()
        .Select(i => i!.AsObject())
        .Where(i => i["method"]!.GetValue<string>() == "POST" && i["path"]!.GetValue<string>() == "/statimpute/impute"
                    && i["status"]!.GetValue<int>() == 200)
        .ToArray());

    public static IEnumerable<object[]> Cases => Enumerable.Range(0, Recorded.Value.Length).Select(i => new object[] { i });

    [Fact]
    public void TheRecordingHoldsImputeAnswers() => Assert.NotEmpty(Recorded.Value);

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReproducesTheRecordedAnswer(int index)
    {
        var item = Recorded.Value[index];
        var body = item["body"]!.AsObject();
        var answer = item["response"]!.AsObject();
        var target = body["target"]!.GetValue<string>();
        var country = body["country"]!.GetValue<string>();
        var series = answer["imputed_series"]!.AsObject();
        var columns = series["columns"]!.AsArray().Select(c => c!.GetValue<int>()).ToArray();
        var data = Fixtures.Doubles(series["data"]![0]);
        var missing = answer["missing_years"]!.AsArray().Select(y => int.Parse(y!.GetValue<string>(), CultureInfo.InvariantCulture)).ToHashSet();
        Assert.Equal([new JsonArray(target, country).ToJsonString()], series["index"]!.AsArray().Select(r => r!.ToJsonString()));

        var years = DatasetYears();
        var input = years.Select(y => Array.IndexOf(columns, y) is var at && at >= 0 && !missing.Contains(y) ? data[at] : double.NaN).ToArray();
        var table = TestTables.Build(years, [new TestTables.Row(country, target, input)]);
        var method = EnumValues.Of<InterpolationMethod>().TryParse(body["method"]!.GetValue<string>(), out var m) ? (InterpolationMethod)m : throw new InvalidDataException();
        var direction = EnumValues.Of<LimitDirection>().TryParse(body["direction"]!.GetValue<string>(), out var d) ? (LimitDirection)d : throw new InvalidDataException();
        int? order = body["d"] is { } o ? o.GetValue<int>() : null;

        var result = new StatImputeModel(table).Impute(target, country, new InterpolationSettings(method, direction, order));

        Assert.Equal(columns, result.Years);
        for (var i = 0; i < data.Length; i++)
        {
            Assert.True(Math.Abs(result.Values[i] - data[i]) <= Relative * Math.Max(Math.Abs(data[i]), 1e-6),
                $"{target} {country} {body["method"]} {body["direction"]}: {columns[i]} expected {data[i]:R}, got {result.Values[i]:R}");
        }
        Assert.Equal(missing.Order(), result.MissingYears);
    }

    // The years of the recorded dataset: from the first to the last year any recorded answer shows.
    private static int[] DatasetYears()
    {
        var all = Recorded.Value.SelectMany(i => i["response"]!["imputed_series"]!["columns"]!.AsArray().Select(c => c!.GetValue<int>())).ToArray();
        return Enumerable.Range(all.Min(), all.Max() - all.Min() + 1).ToArray();
    }
}
