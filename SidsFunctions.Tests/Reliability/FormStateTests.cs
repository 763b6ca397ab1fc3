using System.Net;
using System.Text.Json.Nodes;
using SidsFunctions.Tests.Infrastructure;
using SidsModels.Data;
using SidsModels.TwoLevelImputation;

namespace SidsFunctions.Tests.Reliability;

/// <summary>
/// Form states that depend on the data, not on a field's rules: a year in which no SIDS misses the target (nothing
/// to predict), and a predictor count above the predictors the year offers (on a dataset cut to a few indicators,
/// since the sample offers more than the largest count allowed). Both answer 200 with the frontend's fields.
/// </summary>
public sealed class FormStateTests(SidsAppFactory sample, FormStateTests.FewIndicatorsApp few)
    : IClassFixture<SidsAppFactory>, IClassFixture<FormStateTests.FewIndicatorsApp>
{
    private const string Target = "key-wdi-EG.ELC.ACCS.ZS";

    /// <summary>The sample dataset with only the target, its twin and the <c>*.01</c> indicators: about ten predictors.</summary>
    public sealed class FewIndicatorsApp() : SidsAppFactory(new Dictionary<string, string?> { ["DATASET_PATH"] = Folder.Value })
    {
        public static readonly Lazy<string> Folder = new(() =>
        {
            var folder = TemporaryFolder.Create("sids-few-");
            static bool Kept(string code) => code is Target or "wdi-EG.ELC.ACCS.ZS" || code.EndsWith(".01", StringComparison.Ordinal);
            var source = SampleDatasetFolder;
            File.Copy(Path.Combine(source, "datasetMeta.csv"), Path.Combine(folder, "datasetMeta.csv"));
            var meta = File.ReadAllLines(Path.Combine(source, "indicatorMeta.csv"));
            File.WriteAllLines(Path.Combine(folder, "indicatorMeta.csv"), meta.Take(1).Concat(meta.Skip(1).Where(l => Kept(l.Split(',')[0]))));
            var data = File.ReadAllLines(Path.Combine(source, "indicatorData.csv"));
            File.WriteAllLines(Path.Combine(folder, "indicatorData.csv"), data.Take(1).Concat(data.Skip(1).Where(l => Kept(l.Split(',')[1]))));
            return folder;
        });
    }

    private static JsonObject Body(string scheme, string target = Target, string year = "2001", string dataset = "key") => new()
    {
        ["target_year"] = year, ["target"] = target, ["interpolator"] = "SimpleImputer", ["scheme"] = scheme, ["estimators"] = 1,
        ["model"] = "rfr", ["interval"] = "quantile", ["dataset"] = dataset,
    };

    private static async Task<JsonObject> PredictAsync(HttpClient client, JsonObject body)
    {
        var response = await client.PostJsonAsync("/twolvlImp/predict", body.ToJsonString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{body.ToJsonString()} → {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    [Theory]
    [InlineData("AFS")]
    [InlineData("PCA")]
    public async Task ACountAboveThePredictorsOfTheYearUsesThemAll(string scheme)
    {
        var table = IndicatorTableLoader.LoadFolder(FewIndicatorsApp.Folder.Value);
        var available = TrainingData.PredictorsOf(table, table.YearIndexOf(2001), Target).Length;
        Assert.InRange(available, 2, 49); // below the largest count allowed, or this state is not reached
        var body = Body(scheme);
        body["number_predictor"] = 50;
        var answer = await PredictAsync(few.CreateClient(), body);
        Assert.Equal(available, answer["model_feature_names"]!.AsArray().Count);
        Assert.Equal(available, answer["model_feature_importance"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("MANUAL")]
    [InlineData("AFS")]
    [InlineData("PCA")]
    public async Task AYearInWhichNoSidsMissesTheTargetPredictsNothing(string scheme)
    {
        var table = IndicatorTableLoader.LoadFolder(SidsAppFactory.SampleDatasetFolder);
        var catalog = new TwoLevelCatalog(table);
        var (year, target) = TwoLevelCatalog.SupportedYears.Select(int.Parse)
            .SelectMany(y => catalog.Year(y).Targets.Select(t => (Year: y, Target: t.Code)))
            .First(p => Enumerable.Range(0, table.CountryCount).Where(table.IsSids)
                .All(c => !double.IsNaN(table.Value(c, table.IndicatorIndexOf(p.Target), table.YearIndexOf(p.Year)))));
        var body = Body(scheme, target, year.ToString(System.Globalization.CultureInfo.InvariantCulture), table.MetaByCode[target].Dataset);
        if (scheme == "MANUAL")
        {
            body["manual_predictors"] = new JsonArray(table.Indicators[TrainingData.PredictorsOf(table, table.YearIndexOf(year), target)[0]]);
        }
        else
        {
            body["number_predictor"] = 5;
        }
        var answer = await PredictAsync(sample.CreateClient(), body);
        var prediction = answer["prediction"]!;
        Assert.Empty(prediction["Country Code"]!.AsArray());
        Assert.Empty(prediction["prediction"]!.AsArray());
        Assert.Empty(prediction["lower"]!.AsArray());
        Assert.Empty(prediction["upper"]!.AsArray());
        Assert.True(answer["rmse_deviation"]!.GetValueKind() == System.Text.Json.JsonValueKind.Number);
    }
}
