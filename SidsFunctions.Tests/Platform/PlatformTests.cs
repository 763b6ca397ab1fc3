using System.Net;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.Platform;

/// <summary>The platform endpoints and the HTTP conventions every endpoint shares.</summary>
public sealed class PlatformTests(SidsAppFactory factory) : IClassFixture<SidsAppFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task RootAnswersAMessage()
    {
        var answer = await (await client.GetAsync("/")).ReadJsonAsync();
        Assert.Equal("Hello SIDS ML Backend V10!", answer!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task DatasetsListsTheDatasetFiles()
    {
        var files = (await (await client.GetAsync("/datasets")).ReadJsonAsync())!.AsArray().Select(f => f!.GetValue<string>()).ToArray();
        Assert.Equal(["datasetMeta.csv", "indicatorData.csv", "indicatorMeta.csv"], files.Where(f => f.EndsWith(".csv", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task DocsServesSwaggerUiAndTheOpenApiDocumentIsJson()
    {
        var docs = await client.GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("<html", await docs.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        var document = await (await client.GetAsync("/openapi/v1.json")).ReadJsonAsync();
        Assert.StartsWith("3.", document!["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(document["paths"]!["/params"]);
    }

    [Fact]
    public async Task ReadinessSaysTheDatasetIsLoaded()
    {
        await factory.DatasetLoaded;
        var response = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.ReadJsonAsync();
        Assert.Equal("ready", answer!["status"]!.GetValue<string>());
        Assert.NotNull(answer["dataset_version"]);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    [InlineData("HEAD")]
    public async Task MethodsOtherThanGetPostOptionsAre405(string method)
    {
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/params"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        if (method != "HEAD")
        {
            Assert.Equal("Method Not Allowed", (await response.ReadJsonAsync())!["detail"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task UnknownPathsAreAJson404()
    {
        var response = await client.GetAsync("/no/such/path");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Not Found", (await response.ReadJsonAsync())!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task PreflightFromThePlatformIsAllowedWithItsExtraHeader()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/params");
        request.Headers.Add("Origin", "https://sids-dashboard.github.io");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,access-control-allow-origin");
        var response = await client.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.OK, response.StatusCode.ToString());
        Assert.Equal("https://sids-dashboard.github.io", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task OtherOriginsGetNoCorsHeaders()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/params");
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        var response = await client.SendAsync(request);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        var get = new HttpRequestMessage(HttpMethod.Get, "/");
        get.Headers.Add("Origin", "https://evil.example");
        Assert.False((await client.SendAsync(get)).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task AnswersCarrySecurityHeaders()
    {
        var response = await client.GetAsync("/");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }
}
