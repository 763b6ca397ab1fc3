using System.Net;
using Microsoft.Extensions.Configuration;
using SidsFunctions.Hosting;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.Platform;

/// <summary>MODEL_SERVICE limits a deployment to some models, as the Python backend's per-model services.</summary>
public sealed class ModelSelectionTests(ModelSelectionTests.SurveyOnlyFactory factory) : IClassFixture<ModelSelectionTests.SurveyOnlyFactory>
{
    public sealed class SurveyOnlyFactory() : SidsAppFactory(new Dictionary<string, string?> { ["MODEL_SERVICE"] = "SurveyCluster" });

    [Fact]
    public async Task OnlyTheNamedModelsAreServedAndTheDatasetIsNotLoaded()
    {
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/twolvlImp/target_years")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostJsonAsync("/statimpute/impute", new { })).StatusCode);
        var survey = Fixtures.Upstream("survey-example.json")["request"]!;
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/survey/clustering", survey.ToJsonString())).StatusCode);
        var models = (await (await client.GetAsync("/params")).ReadJsonAsync())!.AsArray().Select(m => m!["model"]!.GetValue<string>());
        Assert.Equal(["SurveyCluster"], models);
        await factory.DatasetLoaded;
        var ready = (await (await client.GetAsync("/health/ready")).ReadJsonAsync())!;
        Assert.Equal("ready", ready["status"]!.GetValue<string>());
        Assert.Null(ready["dataset_version"]);
    }

    [Fact]
    public void AnUnknownModelNameIsRefusedNamingTheKnownOnes()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["MODEL_SERVICE"] = "twolvlImp,Forecast" }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => ModelSelection.FromConfiguration(configuration));
        Assert.Equal("MODEL_SERVICE names unknown model(s) Forecast; known: twolvlImp, CountryCorrelation, Statimpute, SurveyCluster.", error.Message);
    }
}
