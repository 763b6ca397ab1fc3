using System.Net;
using System.Text.Json.Nodes;
using SidsFunctions.Tests.Infrastructure;
using SidsModels.Data;

namespace SidsFunctions.Tests.TwoLevelImputation;

/// <summary>POST /twolvlImp/predict on the sample dataset: every family of parameters, the answer's structure, the errors.</summary>
[Collection(TrainingGrids.Name)]
public sealed class PredictEndpointTests(SidsAppFactory factory) : IClassFixture<SidsAppFactory>
{
    private const string Target = "key-wdi-EG.ELC.ACCS.ZS";
    private const string Year = "2001";
    private static readonly IndicatorTable Table = IndicatorTableLoader.LoadFolder(SidsAppFactory.SampleDatasetFolder);
    private static readonly string[] Manual = ["wdi-AG.LND.AGRI.K2", "wdi-SP.POP.TOTL", "wdi-NY.GDP.PCAP.CD"];

    // The first IterativeImputer family computes level one for the others; on a shared machine under heavy load that
    // outlasts HttpClient's default 100 s, and a client that gives up cancels the computation the next one waits for.
    private readonly HttpClient client = WithTimeout(factory.CreateClient());

    private static HttpClient WithTimeout(HttpClient client)
    {
        client.Timeout = TimeSpan.FromMinutes(10);
        return client;
    }

    public static IEnumerable<object[]> Families() =>
        from interpolator in new[] { "KNNImputer", "SimpleImputer", "IterativeImputer" }
        from scheme in new[] { "AFS", "PCA", "MANUAL" }
        from model in new[] { "rfr", "etr", "gbr", "all" }
        from interval in new[] { "quantile", "bootstrap", "conformal" }
        select new object[] { interpolator, scheme, model, interval };

    private static object Body(string interpolator = "KNNImputer", string scheme = "AFS", string model = "rfr", string interval = "quantile",
        int estimators = 5, int numberPredictor = 4) => scheme == "MANUAL"
        ? new { manual_predictors = Manual, target_year = Year, target = Target, interpolator, scheme, estimators, model, interval, dataset = "key" }
        : new { number_predictor = numberPredictor, target_year = Year, target = Target, interpolator, scheme, estimators, model, interval, dataset = "key" };

    /// <summary>An indicator the sample observes in every country in some year: not a target to offer, nothing to impute.</summary>
    private static (string Code, string Year) CompleteTarget()
    {
        var catalog = new SidsModels.TwoLevelImputation.TwoLevelCatalog(Table);
        foreach (var year in SidsModels.TwoLevelImputation.TwoLevelCatalog.SupportedYears)
        {
            var offered = catalog.Year(int.Parse(year, System.Globalization.CultureInfo.InvariantCulture));
            if (Table.Indicators.FirstOrDefault(c => c.StartsWith("wdi-", StringComparison.Ordinal) && !offered.IsTarget(c) && offered.IsImputable(c)) is { } code)
            {
                return (code, year);
            }
        }
        throw new InvalidOperationException("The sample dataset has no indicator observed everywhere in a year.");
    }

    /// <summary>
    /// The Python backend refused a target observed in every country (it is not in /targets); the answer now lists the
    /// SIDS values as observed and predicts nothing, for every level one and approach.
    /// </summary>
    [Theory]
    [InlineData("KNNImputer", "AFS", "year_by_year")]
    [InlineData("SimpleImputer", "PCA", "temporal")]
    [InlineData("IterativeImputer", "MANUAL", "year_by_year")]
    public async Task ATargetObservedEverywhereAnswersItsValuesAndPredictsNothing(string interpolator, string scheme, string approach)
    {
        var (code, year) = CompleteTarget();
        var body = new JsonObject
        {
            ["target_year"] = year, ["target"] = code, ["dataset"] = "wdi", ["interpolator"] = interpolator, ["scheme"] = scheme,
            ["estimators"] = 5, ["model"] = "rfr", ["interval"] = "quantile", ["approach"] = approach,
            ["number_predictor"] = 4, ["manual_predictors"] = new JsonArray("wdi-AG.LND.AGRI.K2"),
        };
        var targets = await (await client.GetAsync($"/twolvlImp/targets?target_year={year}&dataset=wdi")).ReadJsonAsync();
        Assert.False(targets!.AsObject().ContainsKey(code));

        var answer = await Predict(body.ToJsonString());
        Assert.Equal(0, answer["samples"]!["predicted"]!.GetValue<int>());
        Assert.Empty(answer["prediction"]!["Country Code"]!.AsArray());
        var values = answer["indicatorJson"]!["data"]![year]!.AsObject();
        Assert.Equal(Table.Countries.Count(c => Table.IsSids(Table.CountryIndexOf(c)) && Table.HasRow(Table.CountryIndexOf(c), Table.IndicatorIndexOf(code))),
            values.Count);
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/twolvlImp/estimate", body.ToJsonString())).StatusCode);
    }

    private async Task<JsonObject> Predict(object body)
    {
        var response = await client.PostJsonAsync("/twolvlImp/predict", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    [Theory]
    [MemberData(nameof(Families))]
    public async Task EveryFamilyAnswersTheFullStructure(string interpolator, string scheme, string model, string interval)
    {
        var body = Body(interpolator, scheme, model, interval);
        var answer = await Predict(body);
        FrontendReads.AssertAnswer(answer, System.Text.Json.JsonSerializer.SerializeToNode(body)!.AsObject());
        var ij = answer["indicatorJson"]!.AsObject();
        Assert.Equal(["data", "upperIntervals", "lowerIntervals", "categoryImportances", "featureImportances", "correlation", "rmse", "rmse_deviation"],
            ij.Select(p => p.Key));
        Assert.All(ij, p => Assert.Equal([Year], p.Value!.AsObject().Select(y => y.Key)));

        // Every SIDS with the target (observed or predicted); bounds for the predicted ones, around the prediction.
        var data = ij["data"]![Year]!.AsObject();
        var target = Table.IndicatorIndexOf(Target);
        var year = Table.YearIndexOf(2001);
        var observed = SidsCountries.Codes.Where(c => Table.CountryIndexOf(c) is var i and >= 0 && !double.IsNaN(Table.Value(i, target, year))).ToArray();
        var predicted = SidsCountries.Codes.Where(c => Table.CountryIndexOf(c) is var i and >= 0 && double.IsNaN(Table.Value(i, target, year))).ToArray();
        Assert.NotEmpty(predicted);
        Assert.Equal(observed.Concat(predicted).Order(StringComparer.Ordinal), data.Select(d => d.Key).Order(StringComparer.Ordinal));
        foreach (var c in observed)
        {
            Assert.Equal(Table.Value(Table.CountryIndexOf(c), target, year), data[c]!.GetValue<double>());
        }
        var lower = ij["lowerIntervals"]![Year]!.AsObject();
        var upper = ij["upperIntervals"]![Year]!.AsObject();
        Assert.Equal(predicted.Order(StringComparer.Ordinal), lower.Select(l => l.Key).Order(StringComparer.Ordinal));
        foreach (var c in predicted)
        {
            var (lo, value, hi) = (lower[c]!.GetValue<double>(), data[c]!.GetValue<double>(), upper[c]!.GetValue<double>());
            Assert.True(lo <= value && value <= hi, $"{c}: {lo} ≤ {value} ≤ {hi}");
        }

        // Features: as many as asked; importances sum to one; categories sum them; correlations square.
        var names = answer["model_feature_names"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        Assert.Equal(scheme == "MANUAL" ? Manual.Length : 4, names.Length);
        Assert.DoesNotContain(names, n => IndicatorTwins.AreTwins(n, Target));
        if (scheme == "MANUAL")
        {
            Assert.Equal(Manual, names);
        }
        var importances = answer["model_feature_importance"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.Equal(1.0, importances.Sum(), 1e-9);
        Assert.Equal(importances.Sum(), ij["categoryImportances"]![Year]!.AsObject().Sum(c => c.Value!.GetValue<double>()), 1e-9);
        Assert.Equal(names, ij["featureImportances"]![Year]!.AsObject().Select(f => f.Key));
        var correlation = answer["correlation"]!;
        Assert.Equal(names, correlation["index"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(names.Length, correlation["data"]!.AsArray().Count);

        // Flat fields of the older frontend, and what the Python backend did not say.
        Assert.True(answer["rmse"]!.GetValue<double>() > 0);
        Assert.Equal(answer["rmse"]!.GetValue<double>(), ij["rmse"]![Year]!.GetValue<double>());
        var prediction = answer["prediction"]!.AsObject();
        Assert.Equal(["Country Code", "prediction", "lower", "upper"], prediction.Select(p => p.Key));
        Assert.Equal(predicted.Length, prediction["Country Code"]!.AsArray().Count);
        Assert.Equal(["category", "value"], answer["feature_importance_pie"]!.AsObject().Select(p => p.Key));
        Assert.Equal(5, answer["cross_validation"]!["fold_mse"]!.AsArray().Count);
        var chosen = answer["chosen_model"]!["model"]!.GetValue<string>();
        Assert.Equal(model == "all" ? chosen : model, chosen);
        Assert.Equal(interval, answer["interval"]!["method"]!.GetValue<string>());
        Assert.True(answer["samples"]!["training_sids"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task TheSameRequestGivesTheSameBytesEvenFromAFreshInstance()
    {
        var body = Body(scheme: "PCA", model: "all", interval: "conformal");
        var first = await (await client.PostJsonAsync("/twolvlImp/predict", body)).Content.ReadAsByteArrayAsync();
        var again = await (await client.PostJsonAsync("/twolvlImp/predict", body)).Content.ReadAsByteArrayAsync();
        await using var fresh = new ConfiguredAppFactory(new Dictionary<string, string?>());
        var elsewhere = await (await fresh.CreateClient().PostJsonAsync("/twolvlImp/predict", body)).Content.ReadAsByteArrayAsync();
        Assert.Equal(first, again);
        Assert.Equal(first, elsewhere);
    }

    [Fact]
    public async Task ConcurrentIdenticalRequestsGetIdenticalAnswers()
    {
        var body = Body(interpolator: "SimpleImputer", model: "etr", estimators: 7);
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
            await (await client.PostJsonAsync("/twolvlImp/predict", body)).Content.ReadAsStringAsync()));
        Assert.Single(answers.Distinct());
    }

    [Fact]
    public async Task TheTargetsCopyIsNeverAPredictor()
    {
        var answer = await Predict(Body(numberPredictor: 50));
        var names = answer["model_feature_names"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        Assert.DoesNotContain("wdi-EG.ELC.ACCS.ZS", names);
        Assert.DoesNotContain(Target, names);
    }

    [Theory]
    [InlineData("""{"target_year":"2001","target":"key-wdi-EG.ELC.ACCS.ZS","interpolator":"KNNImputer","scheme":"MANUAL","estimators":5,"model":"rfr","interval":"quantile","dataset":"key"}""",
        "body.manual_predictors", "field required when scheme is MANUAL")]
    [InlineData("""{"target_year":"2001","target":"key-wdi-EG.ELC.ACCS.ZS","interpolator":"KNNImputer","scheme":"AFS","estimators":5,"model":"rfr","interval":"quantile","dataset":"key"}""",
        "body.number_predictor", "field required when scheme is AFS")]
    [InlineData("""{"number_predictor":51,"target_year":"2001","target":"key-wdi-EG.ELC.ACCS.ZS","interpolator":"KNNImputer","scheme":"AFS","estimators":5,"model":"rfr","interval":"quantile","dataset":"key"}""",
        "body.number_predictor", "ensure this value is less than or equal to 50")]
    [InlineData("""{"number_predictor":5,"target_year":"2001","target":"key-wdi-EG.ELC.ACCS.ZS","interpolator":"KNNImputer","scheme":"AFS","estimators":1001,"model":"rfr","interval":"quantile","dataset":"key"}""",
        "body.estimators", "ensure this value is less than or equal to 1000")]
    [InlineData("""{"number_predictor":5,"target_year":"2001","target":"key-wdi-EG.ELC.ACCS.ZS","interpolator":"KNN","scheme":"AFS","estimators":5,"model":"rfr","interval":"quantile","dataset":"key"}""",
        "body.interpolator", "Invalid value for the field interpolator. Supported values: ['KNNImputer', 'IterativeImputer', 'SimpleImputer']")]
    [InlineData("""{"number_predictor":5,"target_year":"2001","target":"key-wdi-EG.ELC.ACCS.ZS","interpolator":"KNNImputer","scheme":"AFS","estimators":5,"model":"rfr","interval":"normal","dataset":"key"}""",
        "body.interval", "Invalid value for the field interval. Supported values: ['bootstrap', 'quantile', 'conformal']")]
    public async Task RequestsThatDoNotFitAre422NamingTheField(string body, string loc, string message)
    {
        var response = await client.PostJsonAsync("/twolvlImp/predict", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = (await response.ReadJsonAsync())!["detail"]![0]!;
        Assert.Equal(loc, string.Join('.', error["loc"]!.AsArray().Select(l => l!.GetValue<string>())));
        Assert.Equal(message, error["msg"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("1999", "key", Target, null, "Target year does not support. Support from 2000 to 2019")]
    [InlineData("2001", "nope", Target, null, "Invalid dataset. Supported types: ['key', 'wdi']")]
    [InlineData("2001", "key", "wdi-NOPE", null, "Invalid target. Please try /twolvlImp/targets endpoint for supported values")]
    [InlineData("2001", "key", Target, "wdi-EG.ELC.ACCS.ZS", "Invalid predictor/s ['wdi-EG.ELC.ACCS.ZS']. Please try /twolvlImp/predictors endpoint for supported values")]
    [InlineData("2001", "key", Target, "wdi-NOPE", "Invalid predictor/s ['wdi-NOPE']. Please try /twolvlImp/predictors endpoint for supported values")]
    public async Task DomainErrorsAreThePythonBackendsWords(string year, string dataset, string target, string? predictor, string message)
    {
        var body = new
        {
            manual_predictors = new[] { predictor ?? "wdi-AG.LND.AGRI.K2" }, target_year = year, target, interpolator = "KNNImputer", scheme = "MANUAL",
            estimators = 5, model = "rfr", interval = "quantile", dataset,
        };
        var response = await client.PostJsonAsync("/twolvlImp/predict", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(message, (await response.ReadJsonAsync())!["detail"]!["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task EstimateAnswers120WithoutRecordedDurations()
    {
        var response = await client.PostJsonAsync("/twolvlImp/estimate", Body());
        Assert.Equal(120, (await response.ReadJsonAsync())!.GetValue<double>());
    }
}
