using System.Net;
using System.Text.Json.Nodes;
using SidsFunctions.Tests.Infrastructure;
using SidsModels.Data;

namespace SidsFunctions.Tests.TwoLevelImputation;

/// <summary>/twolvlImp's listing endpoints on the sample dataset, checked against counts made here from the CSVs.</summary>
public sealed class CatalogEndpointTests(SidsAppFactory factory) : IClassFixture<SidsAppFactory>
{
    private readonly HttpClient client = factory.CreateClient();
    private static readonly IndicatorTable Table = IndicatorTableLoader.LoadFolder(SidsAppFactory.SampleDatasetFolder);

    private static double MissingPercent(string indicator, int year)
    {
        var i = Table.IndicatorIndexOf(indicator);
        var y = Table.YearIndexOf(year);
        var missing = Enumerable.Range(0, Table.CountryCount).Count(c => double.IsNaN(Table.Value(c, i, y)));
        return missing * 100.0 / Table.CountryCount;
    }

    private async Task<JsonNode> GetJson(string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadJsonAsync())!;
    }

    private async Task<string> DomainError(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = (await response.ReadJsonAsync())!;
        Assert.Equal("value_error", body["detail"]!["type"]!.GetValue<string>());
        return body["detail"]!["msg"]!.GetValue<string>();
    }

    [Fact]
    public async Task TargetYearsAre2000To2019AsStrings()
    {
        var years = (await GetJson("/twolvlImp/target_years")).AsArray().Select(y => y!.GetValue<string>());
        Assert.Equal(Enumerable.Range(2000, 20).Select(y => y.ToString(System.Globalization.CultureInfo.InvariantCulture)), years);
    }

    [Fact]
    public async Task SampleSizesAreThePythonBackendsCeilings()
    {
        Assert.Equal((int)Math.Ceiling(Table.CountryCount * (1 - 0.8)), (await GetJson("/twolvlImp/target_sample_size")).GetValue<int>());
        Assert.Equal((int)Math.Ceiling(Table.CountryCount * (1 - 0.3)), (await GetJson("/twolvlImp/predictor_sample_size")).GetValue<int>());
    }

    [Theory]
    [InlineData(2001)]
    [InlineData(2012)]
    public async Task TargetsAreTheIndicatorsMissingInMoreThanNoneAndLessThan80PercentOfCountries(int year)
    {
        var targets = (await GetJson($"/twolvlImp/targets?target_year={year}&dataset=key")).AsObject();
        var expected = Table.IndicatorMeta.Select(m => m.Code).Distinct()
            .Where(code => MissingPercent(code, year) is > 0 and < 80).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, targets.Select(t => t.Key));
        Assert.Equal(Table.MetaByCode["wdi-EG.ELC.ACCS.ZS"].Name, targets["wdi-EG.ELC.ACCS.ZS"]!.GetValue<string>());
        // As the Python backend: the dataset is checked, not used to filter.
        Assert.Equal(targets.ToJsonString(), (await GetJson($"/twolvlImp/targets?target_year={year}&dataset=wdi")).ToJsonString());
    }

    [Fact]
    public async Task DatasetsAreThoseHoldingTargets()
    {
        var datasets = (await GetJson("/twolvlImp/datasets?target_year=2005")).AsObject();
        Assert.Equal(["key", "wdi"], datasets.Select(d => d.Key));
        Assert.Equal("SIDS Key Indicators (sample)", datasets["key"]!.GetValue<string>());
        // Without target_year, 2001 (the Python backend's default).
        Assert.Equal((await GetJson("/twolvlImp/datasets?target_year=2001")).ToJsonString(), (await GetJson("/twolvlImp/datasets")).ToJsonString());
    }

    [Fact]
    public async Task DimensionsOfAnIndicatorName()
    {
        var name = Table.MetaByCode["wdi-EG.ELC.ACCS.ZS"].Name;
        var dimensions = (await GetJson($"/twolvlImp/dimensions?target={Uri.EscapeDataString(name)}&target_year=2001&dataset=wdi")).AsArray();
        var values = dimensions.Select(d => d!["value"]!.GetValue<string>()).ToArray();
        Assert.Contains("wdi-EG.ELC.ACCS.ZS", values);
        Assert.All(dimensions, d => Assert.Equal("% of population", d!["label"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ManualPredictorsLeaveOutTheTargetAndItsCopies()
    {
        var response = await client.PostJsonAsync("/twolvlImp/predictors",
            new { target_year = "2001", dataset = "key", target = "key-wdi-EG.ELC.ACCS.ZS", scheme = "MANUAL" });
        var predictors = (await response.ReadJsonAsync())!.AsObject();
        Assert.DoesNotContain("key-wdi-EG.ELC.ACCS.ZS", predictors.Select(p => p.Key));
        Assert.DoesNotContain("wdi-EG.ELC.ACCS.ZS", predictors.Select(p => p.Key));
        Assert.All(predictors, p => Assert.True(MissingPercent(p.Key, 2001) < 30, p.Key));
        var agri = Table.MetaByCode["wdi-AG.LND.AGRI.K2"];
        Assert.Equal($"{agri.Name}-{agri.Dimension}", predictors["wdi-AG.LND.AGRI.K2"]!.GetValue<string>());
    }

    [Fact]
    public async Task AutomaticSchemesOfferPredictorCounts()
    {
        var response = await client.PostJsonAsync("/twolvlImp/predictors",
            new { target_year = "2001", dataset = "key", target = "key-wdi-EG.ELC.ACCS.ZS", scheme = "AFS" });
        var counts = (await response.ReadJsonAsync())!.AsObject();
        Assert.Equal(Enumerable.Range(10, 41).Select(i => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), i)),
            counts.Select(c => (c.Key, c.Value!.GetValue<int>())));
    }

    [Fact]
    public async Task ErrorsAreThePythonBackendsWords()
    {
        Assert.Equal("Target year does not support. Support from 2000 to 2019",
            await DomainError(await client.GetAsync("/twolvlImp/targets?target_year=1999&dataset=key")));
        Assert.Equal("Invalid dataset. Supported types: ['key', 'wdi']",
            await DomainError(await client.GetAsync("/twolvlImp/targets?target_year=2001&dataset=nope")));
        Assert.Equal("Invalid target. Please try /twolvlImp/targets endpoint for supported values",
            await DomainError(await client.PostJsonAsync("/twolvlImp/predictors",
                new { target_year = "2001", dataset = "key", target = "wdi-NOPE", scheme = "MANUAL" })));
        var missing = await client.GetAsync("/twolvlImp/targets?target_year=2001");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.Equal("query.dataset", string.Join('.', (await missing.ReadJsonAsync())!["detail"]![0]!["loc"]!.AsArray().Select(l => l!.GetValue<string>())));
    }
}
