using System.Net;
using System.Text.Json.Nodes;
using SidsFunctions.Tests.Infrastructure;
using SidsFunctions.Tests.Models.Clustering;

namespace SidsFunctions.Tests.SurveyCluster;

/// <summary>POST /survey/clustering through the whole app: the example survey, both orients, left-out rows, every refusal.</summary>
public sealed class SurveyClusterTests(SidsAppFactory factory) : IClassFixture<SidsAppFactory>
{
    private const string Path = "/survey/clustering";
    private readonly HttpClient client = factory.CreateClient();

    private static JsonObject ExampleRequest() => Fixtures.Upstream("survey-example.json")["request"]!.AsObject().DeepClone().AsObject();

    private static int[] Truth() => Fixtures.Upstream("survey-example.json")["truth"]!.AsArray().Select(t => t!.GetValue<int>()).ToArray();

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(object body)
    {
        var response = await client.PostJsonAsync(Path, body is JsonNode node ? node.ToJsonString() : body);
        return (response.StatusCode, await response.ReadJsonAsync());
    }

    private static void AssertDomainError(HttpStatusCode expected, string message, (HttpStatusCode Status, JsonNode? Body) answer)
    {
        Assert.Equal(expected, answer.Status);
        Assert.Equal(message, answer.Body!["detail"]!["msg"]!.GetValue<string>());
        Assert.Equal("value_error", answer.Body["detail"]!["type"]!.GetValue<string>());
    }

    private static void AssertFieldError(string field, string message, (HttpStatusCode Status, JsonNode? Body) answer)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        var error = answer.Body!["detail"]!.AsArray().Single()!;
        Assert.Equal(["body", field], error["loc"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(message, error["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheExampleSurveyRecoversItsThreePlantedClusters()
    {
        var (status, body) = await PostAsync(ExampleRequest());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, body!["k"]!.GetValue<int>());
        Assert.Equal("k-prototypes", body["method"]!.GetValue<string>());
        Assert.Equal(8, body["costs"]!.AsArray().Count);
        Assert.Null(body["centroid_rows"]);
        var labels = body["cluster_label"]!.AsArray();
        Assert.Equal(90, labels.Count);
        Assert.Null(labels[5]); // observation 5 has no latitude
        var truth = Truth();
        var kept = Enumerable.Range(0, 90).Where(i => labels[i] is not null).ToArray();
        Assert.Equal(89, kept.Length);
        Assert.True(KMeansTests.Agreement(kept.Select(i => labels[i]!.GetValue<int>()).ToArray(), kept.Select(i => truth[i]).ToArray()) >= 0.9);
    }

    [Fact]
    public async Task ListOrientGivesTheSameAnswerAsDictOrient()
    {
        var dict = ExampleRequest();
        var list = ExampleRequest();
        foreach (var field in new[] { "data", "metadata" })
        {
            var columns = new JsonObject();
            foreach (var (name, column) in dict[field]!.AsObject())
            {
                columns[name] = new JsonArray(column!.AsObject().Select(p => p.Value?.DeepClone()).ToArray());
            }
            list[field] = columns;
        }
        var fromDict = await PostAsync(dict);
        var fromList = await PostAsync(list);
        Assert.Equal(HttpStatusCode.OK, fromList.Status);
        Assert.Equal(fromDict.Body!.ToJsonString(), fromList.Body!.ToJsonString());
    }

    [Fact]
    public async Task TheAnswerIsDeterministic()
    {
        var first = await PostAsync(ExampleRequest());
        var second = await PostAsync(ExampleRequest());
        Assert.Equal(first.Body!.ToJsonString(), second.Body!.ToJsonString());
    }

    [Fact]
    public async Task RowsLackingEitherCoordinateAreNullAndLabelsStayAligned()
    {
        var request = ExampleRequest();
        request["data"]!["gps_lon"]!["10"] = null;
        request["data"]!["gps_lon"]!.AsObject().Remove("20"); // a row key a column lacks is a missing value, as in pandas
        var (status, body) = await PostAsync(request);
        Assert.Equal(HttpStatusCode.OK, status);
        var labels = body!["cluster_label"]!.AsArray();
        Assert.Equal(90, labels.Count);
        Assert.Equal([5, 10, 20], Enumerable.Range(0, 90).Where(i => labels[i] is null));
    }

    [Fact]
    public async Task InDictOrientRowsAreTheUnionOfRowKeysInOrderOfFirstAppearanceAsInPandas()
    {
        // pandas.DataFrame.from_dict({"q": {"b": .., "a": ..}, "r": {"a": .., "c": ..}}) has the index b, a, c.
        var request = new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["q"] = new JsonObject { ["b"] = "yes", ["a"] = "no" },
                ["r"] = new JsonObject { ["a"] = "no", ["c"] = "yes" },
            },
            ["metadata"] = new JsonObject
            {
                ["Question Name"] = new JsonArray("q", "r"),
                ["Type"] = new JsonArray("categorical", "categorical"),
                ["Factor"] = new JsonArray("f", "f"),
            },
            ["factor"] = "f",
            ["max_k"] = 2,
        };
        var (status, body) = await PostAsync(request);
        Assert.Equal(HttpStatusCode.OK, status);
        // Rows b = (yes, unknown), a = (no, no), c = (unknown, yes): three distinct rows, k = 2 chosen of costs at k = 1, 2.
        Assert.Equal(3, body!["cluster_label"]!.AsArray().Count);
        Assert.Equal(2, body["costs"]!.AsArray().Count);
        Assert.Equal(0, body["cluster_label"]![0]!.GetValue<int>());
    }

    [Fact]
    public async Task ContinuousOnlyFactorsUseKMeansAndNameTheRowsNearestTheCentroids()
    {
        var request = ExampleRequest();
        var types = request["metadata"]!["Type"]!.AsObject();
        var factors = request["metadata"]!["Factor"]!.AsObject();
        foreach (var key in types.Select(p => p.Key).ToArray())
        {
            if (types[key]!.GetValue<string>() == "categorical")
            {
                factors[key] = "answers";
            }
        }
        var (status, body) = await PostAsync(request);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("k-means", body!["method"]!.GetValue<string>());
        var k = body["k"]!.GetValue<int>();
        var rows = body["centroid_rows"]!.AsArray().Select(r => r!.GetValue<int>()).ToArray();
        Assert.Equal(k, rows.Length);
        var labels = body["cluster_label"]!.AsArray();
        for (var c = 0; c < k; c++)
        {
            Assert.Equal(c, labels[rows[c]]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task CategoricalOnlyFactorsUseKModes()
    {
        var request = ExampleRequest();
        var types = request["metadata"]!["Type"]!.AsObject();
        var factors = request["metadata"]!["Factor"]!.AsObject();
        foreach (var key in types.Select(p => p.Key).ToArray())
        {
            if (types[key]!.GetValue<string>() == "continuous")
            {
                factors[key] = "numbers";
            }
        }
        var (status, body) = await PostAsync(request);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("k-modes", body!["method"]!.GetValue<string>());
        Assert.Null(body["centroid_rows"]);
    }

    [Fact]
    public async Task AnUnknownFactorIs422ListingTheFactors()
    {
        var request = ExampleRequest();
        request["factor"] = "health";
        AssertDomainError(HttpStatusCode.UnprocessableEntity,
            "factor 'health' is not a Factor of the metadata; its factors are: 'livelihood', 'location'.", await PostAsync(request));
    }

    [Fact]
    public async Task AFactorWithoutCategoricalOrContinuousQuestionsIs422()
    {
        var request = ExampleRequest();
        request["factor"] = "location";
        AssertDomainError(HttpStatusCode.UnprocessableEntity,
            "factor 'location' has no categorical or continuous question to cluster on (its questions are of type 'GpsLatitude', 'GpsLongitude').",
            await PostAsync(request));
    }

    [Fact]
    public async Task TextInAContinuousQuestionIs422NamingQuestionAndRow()
    {
        var request = ExampleRequest();
        request["data"]!["x0"]!["7"] = "seven";
        AssertDomainError(HttpStatusCode.UnprocessableEntity,
            "question 'x0' is continuous but row '7' holds text ('seven'), not a number.", await PostAsync(request));
    }

    [Fact]
    public async Task AQuestionOfTheFactorMissingFromDataIs422()
    {
        var request = ExampleRequest();
        request["data"]!.AsObject().Remove("q2");
        AssertDomainError(HttpStatusCode.UnprocessableEntity, "question 'q2' of factor 'livelihood' is not a column of data.", await PostAsync(request));
    }

    [Fact]
    public async Task RaggedListsAre422()
    {
        var request = ExampleRequest();
        request["data"] = new JsonObject { ["gps_lat"] = new JsonArray(1, 2, 3), ["q0"] = new JsonArray("a", "b") };
        AssertDomainError(HttpStatusCode.UnprocessableEntity,
            "data is ragged: column 'q0' has 2 values but 'gps_lat' has 3; every column needs one value per row (null for a missing one).",
            await PostAsync(request));
    }

    [Fact]
    public async Task MixedOrientsAre422()
    {
        var request = ExampleRequest();
        request["data"]!["q0"] = new JsonArray("a", "b");
        AssertDomainError(HttpStatusCode.UnprocessableEntity,
            "data mixes orients: 'q0' is a list but 'gps_lat' is an object; send every column as {row: value} ('dict' orient) or every column as a list ('list' orient).",
            await PostAsync(request));
    }

    [Theory]
    [InlineData("[1, 2]", "data must be an object of columns: {column: {row: value}} (pandas 'dict' orient) or {column: [values]} ('list' orient).")]
    [InlineData("{}", "data has no column.")]
    [InlineData("{\"q0\": 5}", "data['q0'] must be an object {row: value} or a list of values, not a number.")]
    [InlineData("{\"q0\": {\"0\": {\"a\": 1}}}", "data['q0']['0'] is an object; a value is a number, text, true/false or null.")]
    [InlineData("{\"q0\": [[1]]}", "data['q0']['0'] is a list; a value is a number, text, true/false or null.")]
    [InlineData("{\"q0\": {\"0\": \"a\", \"0\": \"b\"}}", "data['q0'] gives row '0' twice.")]
    public async Task MalformedDataIs422(string data, string message)
    {
        var request = ExampleRequest();
        request["data"] = JsonNode.Parse(data);
        AssertDomainError(HttpStatusCode.UnprocessableEntity, message, await PostAsync(request));
    }

    [Fact]
    public async Task MetadataWithoutItsColumnsIs422()
    {
        var request = ExampleRequest();
        request["metadata"]!.AsObject().Remove("Factor");
        AssertDomainError(HttpStatusCode.UnprocessableEntity,
            "metadata needs the columns 'Question Name', 'Type' and 'Factor'; it lacks 'Factor'.", await PostAsync(request));
    }

    [Theory]
    [InlineData(1, "ensure this value is greater than or equal to 2")]
    [InlineData(21, "ensure this value is less than or equal to 20")]
    public async Task MaxKOutsideTwoToTwentyIs422(int maxK, string message)
    {
        var request = ExampleRequest();
        request["max_k"] = maxK;
        AssertFieldError("max_k", message, await PostAsync(request));
    }

    [Theory]
    [InlineData("data")]
    [InlineData("metadata")]
    [InlineData("factor")]
    [InlineData("max_k")]
    public async Task EachFieldIsRequired(string field)
    {
        var request = ExampleRequest();
        request.Remove(field);
        AssertFieldError(field, "field required", await PostAsync(request));
    }

    [Fact]
    public async Task MoreThanFiftyThousandRowsIs413()
    {
        var request = ExampleRequest();
        request["data"] = new JsonObject { ["q0"] = new JsonArray(Enumerable.Range(0, 50_001).Select(_ => (JsonNode?)null).ToArray()) };
        AssertDomainError(HttpStatusCode.RequestEntityTooLarge, "data has more than 50000 rows; at most 50000 are accepted.", await PostAsync(request));
    }

    [Fact]
    public async Task MoreThanTwoHundredQuestionsIs413()
    {
        var request = ExampleRequest();
        var data = new JsonObject();
        for (var j = 0; j < 201; j++)
        {
            data["q" + j] = new JsonArray(1);
        }
        request["data"] = data;
        AssertDomainError(HttpStatusCode.RequestEntityTooLarge, "data has more than 200 columns; at most 200 are accepted.", await PostAsync(request));
    }

    [Fact]
    public async Task MalformedJsonIs422()
    {
        var response = await client.PostJsonAsync(Path, "{\"data\": ");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.StartsWith("Invalid JSON", (await response.ReadJsonAsync())!["detail"]![0]!["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParamsListsTheSurveyModelWithItsInputs()
    {
        var models = (await (await client.GetAsync("/params")).ReadJsonAsync())!.AsArray();
        var survey = models.Single(m => m!["model"]!.GetValue<string>() == "SurveyCluster")!;
        Assert.Equal("Survey Analysis", survey["label"]!.GetValue<string>());
        var inputs = survey["inputs"]!.AsArray();
        Assert.Equal(["data", "metadata", "factor", "max_k"], inputs.Select(i => i!["parameter"]!.GetValue<string>()));
        Assert.Equal(["data json", "metadata json", "factor to be clustered", "Maximum number of clusters expected"],
            inputs.Select(i => i!["label"]!.GetValue<string>()));
        Assert.Equal("integer", inputs[3]!["type"]!.GetValue<string>());
        Assert.Equal("object", inputs[0]!["type"]!.GetValue<string>());
        Assert.All(inputs, i => Assert.True(i!["conditions"]![0]!["required"]!.GetValue<bool>()));
    }
}
