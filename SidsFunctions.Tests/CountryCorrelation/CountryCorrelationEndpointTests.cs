using System.Net;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.CountryCorrelation;

public sealed class CountryCorrelationEndpointTests(SidsAppFactory factory) : IClassFixture<SidsAppFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task CorrelateAnswersThePythonBackendsShape()
    {
        var response = await client.PostJsonAsync("/correlation/correlate", new { dataset = "wdi", category = "Health", country = "FJI", year = 2010 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.ReadJsonAsync())!["country_corr"]!.AsObject();
        Assert.Equal(["Country Code", "FJI"], body.Select(p => p.Key));
        Assert.Equal(body["Country Code"]!.AsArray().Count, body["FJI"]!.AsArray().Count);
    }

    /// <summary>
    /// BRB reports none of the sample's 2000 Gender indicators that others report: no correlation is defined, and the
    /// answer is the Python backend's — "" for each, in the order pandas sorts equal values (the model's tests hold it).
    /// </summary>
    [Fact]
    public async Task WithNoCorrelationDefinedTheAnswerIsThePythonBackends()
    {
        var response = await client.PostJsonAsync("/correlation/correlate", new { dataset = "wdi", category = "Gender", country = "BRB", year = 2000 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.ReadJsonAsync())!["country_corr"]!.AsObject();
        var codes = body["Country Code"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();
        Assert.All(body["BRB"]!.AsArray(), v => Assert.Equal("", v!.GetValue<string>()));
        var byCode = codes.Order(StringComparer.Ordinal).ToArray();
        Assert.NotEqual(byCode, codes);
        Assert.Equal(byCode[0], codes[0]);
        Assert.Equal(byCode[^1], codes[^1]);
    }

    [Fact]
    public async Task ClusterAnswersCountriesAndLabels()
    {
        var response = await client.PostJsonAsync("/correlation/cluster", new { dataset = "wdi", category = "Health", year = 2010, k = 3 });
        var body = (await response.ReadJsonAsync())!;
        Assert.Equal(body["country"]!.AsArray().Count, body["label"]!.AsArray().Count);
        var again = await (await client.PostJsonAsync("/correlation/cluster", new { dataset = "wdi", category = "Health", year = 2010, k = 3 })).ReadJsonAsync();
        Assert.Equal(body.ToJsonString(), again!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"dataset":"wdi","category":"Health","year":2010,"k":0}""", "/correlation/cluster", "body.k", "ensure this value is greater than or equal to 1")]
    [InlineData("""{"dataset":"wdi","category":"Health","year":2010,"k":21}""", "/correlation/cluster", "body.k", "ensure this value is less than or equal to 20")]
    [InlineData("""{"dataset":"wdi","category":"Health","country":"FJI","year":2020}""", "/correlation/correlate", "body.year", "ensure this value is less than or equal to 2019")]
    [InlineData("""{"dataset":"wdi","category":"Health","year":2010}""", "/correlation/correlate", "body.country", "field required")]
    public async Task FieldsOutOfRangeAre422(string body, string path, string loc, string message)
    {
        var response = await client.PostJsonAsync(path, body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = (await response.ReadJsonAsync())!["detail"]![0]!;
        Assert.Equal(loc, string.Join('.', error["loc"]!.AsArray().Select(l => l!.GetValue<string>())));
        Assert.Equal(message, error["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnUnknownCategoryIsADomainErrorListingTheCategories()
    {
        var response = await client.PostJsonAsync("/correlation/correlate", new { dataset = "wdi", category = "Sport", country = "FJI", year = 2010 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.StartsWith("Invalid category Sport for dataset wdi. Supported categories: ['Economic Policy & Debt'",
            (await response.ReadJsonAsync())!["detail"]!["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
