using System.Text.Json.Nodes;
using SidsFunctions.Hosting;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.Platform;

/// <summary>The OpenAPI document describes every endpoint: request and answer schemas, each with an example.</summary>
public sealed class OpenApiDocumentTests(SidsAppFactory factory) : IClassFixture<SidsAppFactory>
{
    private async Task<JsonObject> Document() => (await (await factory.CreateClient().GetAsync("/openapi/v1.json")).ReadJsonAsync())!.AsObject();

    [Fact]
    public async Task EveryOperationHasAnExampleOfItsAnswerAndOfWhatItTakes()
    {
        var document = await Document();
        var schemas = document["components"]!["schemas"]!.AsObject();
        var operations = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (Name: $"{o.Key.ToUpperInvariant()} {p.Key}", Operation: o.Value!.AsObject())))
            .ToArray();
        // Every documented function: all but the document itself, Swagger UI and the fallback.
        var documented = FunctionCatalog.Read(typeof(FunctionCatalog).Assembly).Where(f => f.IsDocumented).ToArray();
        Assert.Equal(19, documented.Length);
        Assert.Equal(documented.Select(f => $"{f.Methods.Single()} {f.Path}").Order(StringComparer.Ordinal),
            operations.Select(o => o.Name).Order(StringComparer.Ordinal));
        foreach (var (name, operation) in operations)
        {
            var answer = operation["responses"]?["200"]?["content"]?["application/json"];
            Assert.True(answer?["schema"] is not null, $"{name}: no answer schema");
            Assert.True(answer?["example"] is not null, $"{name}: no answer example");
            if (operation["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>() is { } reference)
            {
                var schema = schemas[reference.Split('/')[^1]]!;
                Assert.True(schema["examples"] is JsonArray { Count: > 0 }, $"{name}: no request example");
            }
            foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
            {
                Assert.True(parameter!["example"] is not null, $"{name}: no example for {parameter["name"]}");
            }
        }
    }

    [Fact]
    public async Task EnumsListTheirWireValues()
    {
        var schemas = (await Document())["components"]!["schemas"]!.AsObject();
        var train = schemas["TrainRequest"]!["properties"]!.AsObject();
        IEnumerable<string> Values(string property)
        {
            var schema = train[property]!;
            if (schema["$ref"]?.GetValue<string>() is { } reference)
            {
                schema = schemas[reference.Split('/')[^1]]!;
            }
            return schema["enum"]!.AsArray().Select(v => v!.GetValue<string>());
        }
        Assert.Equal(["rfr", "gbr", "etr", "all"], Values("model"));
        Assert.Equal(["bootstrap", "quantile", "conformal"], Values("interval"));
        Assert.Equal(["KNNImputer", "IterativeImputer", "SimpleImputer"], Values("interpolator"));
        Assert.Contains("target_year", schemas["TrainRequest"]!["required"]!.AsArray().Select(v => v!.GetValue<string>()));
    }
}
