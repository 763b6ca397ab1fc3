using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.TwoLevelImputation;

/// <summary>
/// What the platform's "Design your own model" form sends and reads (Fixtures/upstream/frontend-contract.json,
/// recorded by driving the platform's frontend against this backend), on the sample dataset: its four example
/// bodies and its full grid of interpolator × scheme × model × interval at small settings answer
/// /predict with every field the form reads, of the type and length it reads them, and /estimate with a number;
/// its preflight is allowed from every origin it was served from. The grid trains in <see cref="PredictEndpointTests"/>,
/// which checks the same reads (<see cref="FrontendReads"/>). The sample lacks the examples' target
/// (key-wdi-DT.ODA.ODAT.PC.ZS): they run on key-wdi-EG.ELC.ACCS.ZS, a target of the same dataset in 2019.
/// </summary>
[Collection(TrainingGrids.Name)]
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
        FrontendReads.AssertAnswer(await PredictAsync(body), body);
    }

    [Fact]
    public void TheFamiliesOfThePredictTestsHoldTheFormsWholeGrid()
    {
        // The grid itself trains once, in PredictEndpointTests (at estimators 5 and 4 predictors, below the form's
        // smallest 10 and 5), which asserts these same reads on every answer.
        var form = Contract["form"]!;
        var families = PredictEndpointTests.Families().Select(f => string.Join(' ', f)).ToHashSet();
        foreach (var interpolator in Strings(form["interpolator"]))
        {
            foreach (var scheme in Strings(form["scheme"]))
            {
                foreach (var model in Strings(form["model"]))
                {
                    foreach (var interval in Strings(form["interval"]))
                    {
                        Assert.Contains($"{interpolator} {scheme} {model} {interval}", families);
                    }
                }
            }
        }
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
}
