using System.Net;
using System.Text.Json.Nodes;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.TwoLevelImputation;

/// <summary>The <c>approach</c> field of /predict and /estimate: its validation, its listing, the temporal answer's shape, the default unchanged.</summary>
public sealed class ApproachEndpointTests(SidsAppFactory factory) : IClassFixture<SidsAppFactory>
{
    private const string Target = "key-wdi-EG.ELC.ACCS.ZS";
    private const string Year = "2001";
    private readonly HttpClient client = factory.CreateClient();

    private static JsonObject Body(string? approach = null, string scheme = "AFS", string interval = "quantile")
    {
        var body = new JsonObject
        {
            ["number_predictor"] = 4, ["target_year"] = Year, ["target"] = Target, ["interpolator"] = "KNNImputer", ["scheme"] = scheme,
            ["estimators"] = 5, ["model"] = "rfr", ["interval"] = interval, ["dataset"] = "key",
        };
        if (approach is not null)
        {
            body["approach"] = approach;
        }
        return body;
    }

    [Theory]
    [InlineData("/twolvlImp/predict", "\"yearly\"")]
    [InlineData("/twolvlImp/estimate", "\"Temporal\"")]
    [InlineData("/twolvlImp/predict", "1")]
    [InlineData("/twolvlImp/estimate", "[\"temporal\"]")]
    public async Task AnUnknownApproachIs422NamingTheFieldAndItsValues(string path, string value)
    {
        var body = Body().ToJsonString().TrimEnd('}') + ",\"approach\":" + value + "}";
        var response = await client.PostJsonAsync(path, body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = (await response.ReadJsonAsync())!["detail"]![0]!;
        Assert.Equal("body.approach", string.Join('.', error["loc"]!.AsArray().Select(l => l!.GetValue<string>())));
        Assert.Contains("['year_by_year', 'temporal']", error["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EstimateTakesEitherApproach()
    {
        foreach (var approach in new[] { "year_by_year", "temporal" })
        {
            var response = await client.PostJsonAsync("/twolvlImp/estimate", Body(approach));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task ParamsAndTheOpenApiDocumentListTheApproachesWithLabels()
    {
        var models = (await (await client.GetAsync("/params")).ReadJsonAsync())!.AsArray();
        var inputs = models.Single(m => m!["model"]!.GetValue<string>() == "twolvlImp")!["inputs"]!.AsArray();
        var approach = inputs.Single(i => i!["parameter"]!.GetValue<string>() == "approach")!;
        Assert.Equal("enum", approach["type"]!.GetValue<string>());
        var values = approach["values"]!.AsObject();
        Assert.Equal(["year_by_year", "temporal"], values.Select(v => v.Key));
        Assert.All(values, v => Assert.False(string.IsNullOrWhiteSpace(v.Value!.GetValue<string>())));

        var document = (await (await client.GetAsync("/openapi/v1.json")).ReadJsonAsync())!;
        var schemas = document["components"]!["schemas"]!;
        var property = schemas["TrainRequest"]!["properties"]!["approach"]!;
        var schema = property["$ref"] is { } reference ? schemas[reference.GetValue<string>().Split('/')[^1]]! : property;
        Assert.Equal(["year_by_year", "temporal"], schema["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(values.Select(v => v.Value!.GetValue<string>()), schema["x-enum-descriptions"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.DoesNotContain("approach", document["components"]!["schemas"]!["TrainRequest"]!["required"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task TheDefaultAnswerIsTheYearByYearOneAndSaysNothingNew()
    {
        var omitted = await (await client.PostJsonAsync("/twolvlImp/predict", Body())).Content.ReadAsByteArrayAsync();
        var named = await (await client.PostJsonAsync("/twolvlImp/predict", Body("year_by_year"))).Content.ReadAsByteArrayAsync();
        Assert.Equal(omitted, named);
        Assert.Null(JsonNode.Parse(omitted)!["approach"]);
    }

    [Theory]
    [InlineData("AFS", "quantile")]
    [InlineData("PCA", "bootstrap")]
    [InlineData("MANUAL", "conformal")]
    public async Task ATemporalAnswerEchoesTheApproachAndEachCountrysDistance(string scheme, string interval)
    {
        var body = Body("temporal", scheme, interval);
        if (scheme == "MANUAL")
        {
            body["manual_predictors"] = new JsonArray("wdi-AG.LND.AGRI.K2", "wdi-SP.POP.TOTL");
        }
        var response = await client.PostJsonAsync("/twolvlImp/predict", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var answer = JsonNode.Parse(text)!;
        var approach = answer["approach"]!;
        Assert.Equal("temporal", approach["name"]!.GetValue<string>());
        var predicted = answer["prediction"]!["Country Code"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();
        var distances = approach["nearest_observed_year_distance"]!.AsObject();
        Assert.Equal(predicted.Order(StringComparer.Ordinal), distances.Select(d => d.Key).Order(StringComparer.Ordinal));
        Assert.All(distances, d => Assert.True(d.Value is null || d.Value.GetValue<int>() >= 1));
        // Every predicted country is answered by exactly one model, which says its distance.
        var models = approach["models"]!.AsArray();
        Assert.Equal(predicted.Order(StringComparer.Ordinal),
            models.SelectMany(m => m!["countries"]!.AsArray().Select(c => c!.GetValue<string>())).Order(StringComparer.Ordinal));
        foreach (var model in models)
        {
            var distance = model!["distance"]?.GetValue<int>();
            Assert.All(model["countries"]!.AsArray(), c => Assert.Equal(distance, distances[c!.GetValue<string>()]?.GetValue<int>()));
            // The year-by-year model's share of the group's blend, on a grid of tenths; all of it where there is no series.
            var share = model["year_by_year_share"]!.GetValue<double>();
            Assert.InRange(share, 0, 1);
            Assert.Equal(Math.Round(share * 10) / 10, share, 12);
            if (distance is null)
            {
                Assert.Equal(1, share);
            }
        }

        // The frontend's charts: names and importances zip; the neighbouring years under a readable name; the pie sums them.
        var names = answer["model_feature_names"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        var importances = answer["model_feature_importance"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.Equal(names.Length, importances.Length);
        Assert.Equal("Access to electricity (sample) (neighbouring years)", names[^1]);
        Assert.Equal(1.0, importances.Sum(), 1e-9);
        var pie = answer["feature_importance_pie"]!;
        Assert.Contains(names[^1], pie["category"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(1.0, pie["value"]!.AsArray().Sum(v => v!.GetValue<double>()), 1e-9);
        var (values, lower, upper) = (answer["prediction"]!["prediction"]!.AsArray(), answer["prediction"]!["lower"]!.AsArray(),
            answer["prediction"]!["upper"]!.AsArray());
        for (var i = 0; i < predicted.Length; i++)
        {
            Assert.True(lower[i]!.GetValue<double>() <= values[i]!.GetValue<double>() && values[i]!.GetValue<double>() <= upper[i]!.GetValue<double>());
        }
        Assert.Equal(interval, answer["interval"]!["method"]!.GetValue<string>());
    }
}
