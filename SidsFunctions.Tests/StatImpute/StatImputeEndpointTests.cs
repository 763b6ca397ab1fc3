using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using SidsFunctions.Hosting;
using SidsFunctions.Hosting.Requests;
using SidsFunctions.Tests.Infrastructure;
using SidsModels.Interpolation;
using SidsModels.StatImpute;

namespace SidsFunctions.Tests.StatImpute;

/// <summary>/statimpute/* through the whole app on the sample dataset: answers, shapes, errors, extensions.</summary>
public sealed class StatImputeEndpointTests(SidsAppFactory factory) : IClassFixture<SidsAppFactory>
{
    private const string Target = "wdi-EG.ELC.ACCS.ZS";
    private readonly HttpClient client = factory.CreateClient();

    private static readonly StatImputeModel Model = new(SidsModels.Data.IndicatorTableLoader.LoadFolder(SidsAppFactory.SampleDatasetFolder));

    // A SIDS country whose series has a gap inside and a missing first or last year, so every direction differs.
    private string GappyCountry() => Model.Countries(Target).First(c =>
    {
        var table = Model.Table;
        var series = table.Series(table.CountryIndexOf(c), table.IndicatorIndexOf(Target));
        return series.Count(v => !double.IsNaN(v)) >= 8 && (double.IsNaN(series[0]) || double.IsNaN(series[^1]))
               && series.Skip(1).SkipLast(1).Any(double.IsNaN);
    });

    public static IEnumerable<object[]> MethodsAndDirections =>
        from method in EnumValues.Of<InterpolationMethod>().Names
        from direction in EnumValues.Of<LimitDirection>().Names
        select new object[] { method, direction };

    [Fact]
    public async Task CountriesAreTheSidsWithARowInFileOrder()
    {
        var answer = await (await client.GetAsync($"/statimpute/countries?target={Target}")).ReadJsonAsync();
        var countries = answer!.AsArray().Select(c => c!.GetValue<string>()).ToArray();
        Assert.NotEmpty(countries);
        Assert.Equal(Model.Countries(Target), countries);
        var table = Model.Table;
        var fileOrder = table.CountriesWithRow(table.IndicatorIndexOf(Target)).Where(table.IsSids).Select(c => table.Countries[c]);
        Assert.Equal(fileOrder, countries);
    }

    [Fact]
    public async Task CountriesOfAnUnknownTargetAreEmptyAndTargetIsRequired()
    {
        Assert.Equal("[]", await (await client.GetAsync("/statimpute/countries?target=wdi-NOPE")).Content.ReadAsStringAsync());
        var missing = await client.GetAsync("/statimpute/countries");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.Equal("""["query","target"]""", (await missing.ReadJsonAsync())!["detail"]![0]!["loc"]!.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(MethodsAndDirections))]
    public async Task EachMethodAndDirectionAnswersTheModelsSeries(string method, string direction)
    {
        var country = GappyCountry();
        var body = new JsonObject { ["target"] = Target, ["country"] = country, ["method"] = method, ["direction"] = direction, ["d"] = 2 };
        var response = await client.PostJsonAsync("/statimpute/impute", body.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = (await response.ReadJsonAsync())!;

        EnumValues.Of<InterpolationMethod>().TryParse(method, out var m);
        EnumValues.Of<LimitDirection>().TryParse(direction, out var d);
        var expected = Model.Impute(Target, country, new InterpolationSettings((InterpolationMethod)m, (LimitDirection)d, 2));
        var series = answer["imputed_series"]!;
        Assert.Equal($"""[["{Target}","{country}"]]""", series["index"]!.ToJsonString());
        Assert.Equal(expected.Years, series["columns"]!.AsArray().Select(c => c!.GetValue<int>()));
        Assert.Equal(expected.Values, Fixtures.Doubles(series["data"]![0]));
        Assert.Equal(expected.MissingYears.Select(y => y.ToString(CultureInfo.InvariantCulture)),
            answer["missing_years"]!.AsArray().Select(y => y!.GetValue<string>()));
        Assert.NotEmpty(expected.MissingYears);
        Assert.Null(answer["missing_years_by_country"]);
    }

    [Fact]
    public async Task AnUnknownMethodListsTheMethods()
    {
        var detail = await Refused(new JsonObject { ["target"] = Target, ["country"] = GappyCountry(), ["method"] = "lineal", ["direction"] = "both" });
        Assert.Equal("""["body","method"]""", detail[0]!["loc"]!.ToJsonString());
        Assert.Equal("Invalid value for the field method. Supported values: ['linear', 'nearest', 'zero', 'slinear', 'quadratic', 'cubic', "
                     + "'spline', 'polynomial', 'piecewise_polynomial', 'pchip', 'akima', 'cubicspline']", detail[0]!["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnUnknownDirectionListsTheDirections()
    {
        var detail = await Refused(new JsonObject { ["target"] = Target, ["country"] = GappyCountry(), ["method"] = "linear", ["direction"] = "sideways" });
        Assert.Equal("Invalid value for the field direction. Supported values: ['forward', 'backward', 'both']", detail[0]!["msg"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("spline", null, "field required when method is spline")]
    [InlineData("polynomial", null, "field required when method is polynomial")]
    [InlineData("spline", 0, "ensure this value is greater than or equal to 1")]
    [InlineData("polynomial", 6, "ensure this value is less than or equal to 5")]
    public async Task OrderIsRequiredFromOneToFiveForSplineAndPolynomial(string method, int? d, string message)
    {
        var body = new JsonObject { ["target"] = Target, ["country"] = GappyCountry(), ["method"] = method, ["direction"] = "both", ["d"] = d };
        var detail = await Refused(body);
        Assert.Equal("""["body","d"]""", detail[0]!["loc"]!.ToJsonString());
        Assert.Equal(message, detail[0]!["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task OrderIsIgnoredByTheOtherMethods()
    {
        var body = new JsonObject { ["target"] = Target, ["country"] = GappyCountry(), ["method"] = "pchip", ["direction"] = "both", ["d"] = 9 };
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/statimpute/impute", body.ToJsonString())).StatusCode);
    }

    [Fact]
    public async Task AnUnknownCountryGetsThePythonMessageAndTheField()
    {
        var response = await client.PostJsonAsync("/statimpute/impute",
            new JsonObject { ["target"] = Target, ["country"] = "QMA", ["method"] = "linear", ["direction"] = "both" }.ToJsonString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("""{"detail":{"msg":"Invalid country QMA. Please try /statimpute/get_countries endpoint for supported values","type":"value_error","loc":["body","country"]}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnUnknownTargetIsRefused()
    {
        var response = await client.PostJsonAsync("/statimpute/impute",
            new JsonObject { ["target"] = "wdi-NOPE", ["country"] = "CUB", ["method"] = "linear", ["direction"] = "both" }.ToJsonString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.StartsWith("Invalid target wdi-NOPE.", (await response.ReadJsonAsync())!["detail"]!["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AYearRangeLimitsTheSeries()
    {
        var country = GappyCountry();
        var body = new JsonObject
        {
            ["target"] = Target, ["country"] = country, ["method"] = "cubicspline", ["direction"] = "both", ["years"] = new JsonArray(2004, 2012),
        };
        var answer = (await (await client.PostJsonAsync("/statimpute/impute", body.ToJsonString())).ReadJsonAsync())!;
        var expected = Model.Impute(Target, country, new InterpolationSettings(InterpolationMethod.CubicSpline), new YearRange(2004, 2012));
        var columns = answer["imputed_series"]!["columns"]!.AsArray().Select(c => c!.GetValue<int>()).ToArray();
        Assert.Equal(expected.Years, columns);
        Assert.All(columns, y => Assert.InRange(y, 2004, 2012));
        Assert.Equal(expected.Values, Fixtures.Doubles(answer["imputed_series"]!["data"]![0]));
    }

    [Theory]
    [InlineData("[2004]", "years must hold two years: [from, to]")]
    [InlineData("[2012, 2004]", "years must be [from, to] with from <= to; got [2012, 2004].")]
    [InlineData("[1950, 1960]", "years [1950, 1960] holds none of the dataset's years (2000–2019).")]
    public async Task UnfitYearRangesAreRefused(string years, string message)
    {
        var body = JsonNode.Parse($$"""{"target":"{{Target}}","country":"{{GappyCountry()}}","method":"linear","direction":"both","years":{{years}}}""")!;
        var response = await client.PostJsonAsync("/statimpute/impute", body.ToJsonString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var detail = (await response.ReadJsonAsync())!["detail"]!;
        Assert.Equal(message, (detail is JsonArray list ? list[0]!["msg"] : detail["msg"])!.GetValue<string>());
    }

    [Fact]
    public async Task AllCountriesGivesOneRowPerCountryOverTheUnionOfYears()
    {
        var body = new JsonObject
        {
            ["target"] = Target, ["country"] = GappyCountry(), ["method"] = "akima", ["direction"] = "forward", ["all_countries"] = true,
        };
        var response = await client.PostJsonAsync("/statimpute/impute", body.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = (await response.ReadJsonAsync())!;
        var series = answer["imputed_series"]!;
        var all = Model.ImputeAll(Target, new InterpolationSettings(InterpolationMethod.Akima, LimitDirection.Forward));
        Assert.Equal(all.Select(s => s.Country), series["index"]!.AsArray().Select(r => r![1]!.GetValue<string>()));
        Assert.All(series["index"]!.AsArray(), r => Assert.Equal(Target, r![0]!.GetValue<string>()));
        var columns = series["columns"]!.AsArray().Select(c => c!.GetValue<int>()).ToArray();
        Assert.Equal(all.SelectMany(s => s.Years).Distinct().Order(), columns);
        var rows = Fixtures.Rows(series["data"]);
        for (var c = 0; c < all.Count; c++)
        {
            Assert.Equal(columns.Length, rows[c].Length);
            for (var y = 0; y < columns.Length; y++)
            {
                var at = Array.IndexOf(all[c].Years, columns[y]);
                Assert.Equal(at < 0 ? double.NaN : all[c].Values[at], rows[c][y]);
            }
            Assert.Equal(all[c].MissingYears.Select(y => y.ToString(CultureInfo.InvariantCulture)),
                answer["missing_years_by_country"]![all[c].Country]!.AsArray().Select(y => y!.GetValue<string>()));
        }
        Assert.Equal(all.SelectMany(s => s.MissingYears).Distinct().Order().Select(y => y.ToString(CultureInfo.InvariantCulture)),
            answer["missing_years"]!.AsArray().Select(y => y!.GetValue<string>()));
        Assert.NotNull(answer["not_imputed"]);
    }

    [Fact]
    public async Task AllCountriesStillChecksTheCountry()
    {
        var body = new JsonObject { ["target"] = Target, ["country"] = "XYZ", ["method"] = "linear", ["direction"] = "both", ["all_countries"] = true };
        var response = await client.PostJsonAsync("/statimpute/impute", body.ToJsonString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task TheSameRequestGivesTheSameAnswer()
    {
        var body = new JsonObject { ["target"] = Target, ["country"] = GappyCountry(), ["method"] = "spline", ["direction"] = "both", ["d"] = 3 }.ToJsonString();
        var first = await (await client.PostJsonAsync("/statimpute/impute", body)).Content.ReadAsStringAsync();
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            await (await client.PostJsonAsync("/statimpute/impute", body)).Content.ReadAsStringAsync()));
        Assert.All(answers, a => Assert.Equal(first, a));
    }

    [Fact]
    public async Task ParamsListTheUpstreamInputsWithTheirLabelsAndConditions()
    {
        var ours = (await (await client.GetAsync("/params")).ReadJsonAsync())!.AsArray().Single(m => m!["model"]!.GetValue<string>() == "Statimpute")!;
        var upstream = Fixtures.Upstream("params-upstream.json").AsArray().Single(m => m!["model"]!.GetValue<string>() == "Statimpute")!;
        Assert.Equal(upstream["label"]!.GetValue<string>(), ours["label"]!.GetValue<string>());
        var inputs = ours["inputs"]!.AsArray().ToDictionary(i => i!["parameter"]!.GetValue<string>());
        foreach (var input in upstream["inputs"]!.AsArray())
        {
            var name = input!["parameter"]!.GetValue<string>();
            Assert.Equal(input["label"]!.GetValue<string>(), inputs[name]!["label"]!.GetValue<string>());
            Assert.Equal(input["conditions"]!.ToJsonString(), inputs[name]!["conditions"]!.ToJsonString());
        }
        Assert.Equal("enum", inputs["method"]!["type"]!.GetValue<string>());
        Assert.Equal(12, inputs["method"]!["values"]!.AsObject().Count);
        Assert.Null(inputs["years"]!["conditions"]);
        Assert.Null(inputs["all_countries"]!["conditions"]);
    }

    private async Task<JsonArray> Refused(JsonObject body)
    {
        var response = await client.PostJsonAsync("/statimpute/impute", body.ToJsonString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        return (await response.ReadJsonAsync())!["detail"]!.AsArray();
    }
}
