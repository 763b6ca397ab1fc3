using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.TwoLevelImputation;

/// <summary>
/// What the platform's "Design your own model" form sends and reads (Fixtures/upstream/frontend-contract.json,
/// recorded by driving the platform's frontend against this backend), on the sample dataset: its four example
/// bodies and its full grid of interpolator × scheme × model × interval at the form's smallest settings answer
/// /predict with every field the form reads, of the type and length it reads them, and /estimate with a number;
/// its preflight is allowed from every origin it was served from. The sample lacks the examples' target
/// (key-wdi-DT.ODA.ODAT.PC.ZS): they run on key-wdi-EG.ELC.ACCS.ZS, a target of the same dataset in 2019.
/// </summary>
public sealed class FrontendContractTests(SidsAppFactory factory) : IClassFixture<SidsAppFactory>
{
    private const string SampleTarget = "key-wdi-EG.ELC.ACCS.ZS";

    private static readonly JsonObject Contract = Fixtures.Upstream("frontend-contract.json").AsObject();

    private readonly HttpClient client = factory.CreateClient();

    private static JsonObject OnTheSample(JsonNode example)
    {
        var body = example.DeepClone().AsObject();
        body["target"] = SampleTarget;
        return body;
    }

    public static TheoryData<int> Examples() => [.. Enumerable.Range(0, Contract["examples"]!.AsArray().Count)];

    /// <summary>The form's choices, each at its smallest where it has sizes (estimators, predictor count).</summary>
    public static TheoryData<string, string, string, string> Grid()
    {
        var form = Contract["form"]!;
        var data = new TheoryData<string, string, string, string>();
        foreach (var interpolator in Strings(form["interpolator"]))
        {
            foreach (var scheme in Strings(form["scheme"]))
            {
                foreach (var model in Strings(form["model"]))
                {
                    foreach (var interval in Strings(form["interval"]))
                    {
                        data.Add(interpolator, scheme, model, interval);
                    }
                }
            }
        }
        return data;
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node!.AsArray().Select(v => v!.GetValue<string>());

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task TheFormsExamplesAnswerWhatItReads(int index)
    {
        var body = OnTheSample(Contract["examples"]![index]!);
        if (body["manual_predictors"] is JsonArray { Count: 0 })
        {
            // Train pressed before a pick: a 422 naming the list on both calls, never a 500 ("Computation failed" either way,
            // but the log says why); after a pick, the full answer.
            foreach (var path in new[] { "/twolvlImp/predict", "/twolvlImp/estimate" })
            {
                var refused = await client.PostJsonAsync(path, body.ToJsonString());
                Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
                Assert.Equal("manual_predictors", (await refused.ReadJsonAsync())!["detail"]!["loc"]![1]!.GetValue<string>());
            }
            body["manual_predictors"] = new JsonArray(await FirstOfferedPredictorsAsync(body, 1));
        }
        await AssertEstimateAsync(body);
        AssertTheFormsReads(await PredictAsync(body), body);
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public async Task EveryCombinationOfTheFormAnswersWhatItReads(string interpolator, string scheme, string model, string interval)
    {
        var form = Contract["form"]!;
        var body = OnTheSample(Contract["examples"]![0]!);
        body.Remove("number_predictor");
        body["interpolator"] = interpolator;
        body["scheme"] = scheme;
        body["model"] = model;
        body["interval"] = interval;
        body["estimators"] = form["estimators"]!.AsArray().Min(e => e!.GetValue<int>());
        if (scheme == "MANUAL")
        {
            body["manual_predictors"] = new JsonArray(await FirstOfferedPredictorsAsync(body, 3));
        }
        else
        {
            body["number_predictor"] = form["number_predictor"]!.AsArray().Min(e => e!.GetValue<int>());
        }
        await AssertEstimateAsync(body);
        AssertTheFormsReads(await PredictAsync(body), body);
    }

    [Fact]
    public async Task ThePreflightTheAppSendsIsAllowedFromEveryOriginItWasServedFrom()
    {
        var preflight = Contract["preflight"]!;
        var headers = preflight["request_headers"]!.GetValue<string>();
        var origins = Strings(preflight["origins_seen"]).ToArray();
        Assert.Contains("http://localhost:8080", origins);
        foreach (var origin in origins)
        {
            foreach (var path in new[] { "/twolvlImp/predict", "/twolvlImp/estimate" })
            {
                var request = new HttpRequestMessage(HttpMethod.Options, path);
                request.Headers.Add("Origin", origin);
                request.Headers.Add("Access-Control-Request-Method", preflight["method"]!.GetValue<string>());
                request.Headers.Add("Access-Control-Request-Headers", headers);
                var response = await client.SendAsync(request);
                Assert.True(response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.OK, $"{origin} {path}: {(int)response.StatusCode}");
                Assert.Equal(origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
                var allowed = response.Headers.GetValues("Access-Control-Allow-Headers").SelectMany(h => h.Split(',')).Select(h => h.Trim().ToLowerInvariant()).ToHashSet();
                Assert.Superset(headers.Split(',').ToHashSet(), allowed);
                Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").SelectMany(m => m.Split(',')).Select(m => m.Trim()));
            }
            // And the POST itself carries the origin back, or the browser drops the answer.
            var post = new HttpRequestMessage(HttpMethod.Post, "/twolvlImp/estimate")
            {
                Content = new StringContent(OnTheSample(Contract["examples"]![0]!).ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
            };
            post.Headers.Add("Origin", origin);
            post.Headers.TryAddWithoutValidation("Access-Control-Allow-Origin", "*");
            var answer = await client.SendAsync(post);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal(origin, answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        }
    }

    /// <summary>What the form offers to pick from (/twolvlImp/predictors for the target and year), the first few.</summary>
    private async Task<JsonNode[]> FirstOfferedPredictorsAsync(JsonObject body, int count)
    {
        var request = new JsonObject
        {
            ["target_year"] = body["target_year"]!.DeepClone(), ["dataset"] = body["dataset"]!.DeepClone(), ["target"] = body["target"]!.DeepClone(),
            ["scheme"] = "MANUAL",
        };
        var response = await client.PostJsonAsync("/twolvlImp/predictors", request.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadJsonAsync())!.AsObject().Take(count).Select(p => (JsonNode)JsonValue.Create(p.Key)).ToArray();
    }

    private async Task AssertEstimateAsync(JsonObject body)
    {
        var response = await client.PostJsonAsync("/twolvlImp/estimate", body.ToJsonString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"estimate {(int)response.StatusCode}: {text}");
        Assert.True(JsonNode.Parse(text)!.GetValueKind() == JsonValueKind.Number, $"estimate is not a number of seconds: {text}");
    }

    private async Task<JsonObject> PredictAsync(JsonObject body)
    {
        var response = await client.PostJsonAsync("/twolvlImp/predict", body.ToJsonString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{body.ToJsonString()} → {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static double[] Numbers(JsonNode? node, string what)
    {
        var array = Assert.IsType<JsonArray>(node);
        Assert.All(array, v => Assert.True(v is JsonValue n && n.GetValueKind() == JsonValueKind.Number, $"{what}: {v?.ToJsonString() ?? "null"} is not a number"));
        return array.Select(v => v!.GetValue<double>()).ToArray();
    }

    private static string[] Texts(JsonNode? node, string what)
    {
        var array = Assert.IsType<JsonArray>(node);
        Assert.All(array, v => Assert.True(v is JsonValue n && n.GetValueKind() == JsonValueKind.String, $"{what}: {v?.ToJsonString() ?? "null"} is not text"));
        return array.Select(v => v!.GetValue<string>()).ToArray();
    }

    /// <summary>The reads of frontend-contract.json's predict call, each as the form uses it.</summary>
    private static void AssertTheFormsReads(JsonObject answer, JsonObject body)
    {
        Assert.True(answer["rmse_deviation"] is JsonValue d && d.GetValueKind() == JsonValueKind.Number, "rmse_deviation is a number");

        var names = Texts(answer["model_feature_names"], "model_feature_names");
        var importances = Numbers(answer["model_feature_importance"], "model_feature_importance");
        Assert.NotEmpty(names);
        Assert.Equal(names.Length, importances.Length);
        Assert.Equal(names.Length, names.Distinct().Count());
        if (body["manual_predictors"] is JsonArray picked)
        {
            Assert.Equal(picked.Select(p => p!.GetValue<string>()), names);
        }
        else
        {
            Assert.Equal(body["number_predictor"]!.GetValue<int>(), names.Length);
        }

        var pie = answer["feature_importance_pie"]!;
        Assert.Equal(Texts(pie["category"], "feature_importance_pie.category").Length, Numbers(pie["value"], "feature_importance_pie.value").Length);

        var correlation = answer["correlation"]!;
        var columns = Texts(correlation["columns"], "correlation.columns");
        var rows = Assert.IsType<JsonArray>(correlation["data"]);
        Assert.Equal(columns.Length, rows.Count);
        Assert.All(rows, r => Assert.Equal(columns.Length, Numbers(r, "correlation.data").Length));

        var prediction = answer["prediction"]!;
        var countries = Texts(prediction["Country Code"], "prediction.Country Code");
        var values = Numbers(prediction["prediction"], "prediction.prediction");
        var upper = Numbers(prediction["upper"], "prediction.upper");
        var lower = Numbers(prediction["lower"], "prediction.lower");
        Assert.NotEmpty(countries);
        Assert.Equal(countries.Length, values.Length);
        Assert.Equal(countries.Length, upper.Length);
        Assert.Equal(countries.Length, lower.Length);
        for (var i = 0; i < countries.Length; i++)
        {
            Assert.True(lower[i] <= values[i] && values[i] <= upper[i], $"{countries[i]}: {lower[i]} ≤ {values[i]} ≤ {upper[i]}");
        }
    }
}
