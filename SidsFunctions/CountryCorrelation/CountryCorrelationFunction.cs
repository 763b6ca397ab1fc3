using System.Text.Json.Nodes;
using SidsFunctions.Hosting;
using SidsModels.CountryCorrelation;

namespace SidsFunctions.CountryCorrelation;

/// <summary>The CountryCorrelation function: how SIDS countries resemble each other over a dataset's category (/correlation/*).</summary>
public static class CountryCorrelationFunction
{
    public const string Prefix = "/correlation";

    public static IServiceCollection AddCountryCorrelation(this IServiceCollection services) =>
        services.AddSingleton(sp => new CountryCorrelationModel(sp.GetRequiredService<DatasetProvider>().Table));

    public static IEndpointRouteBuilder MapCountryCorrelation(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("Country Correlation Model");
        group.MapPost("/correlate", Correlate).WithBody<CorrelateRequest>().ProducesDomainError()
            .Answers(CorrelateAnswer.Example)
            .AsMainEndpoint(ModelSelection.CountryCorrelation, "Country Correlation Model", Prefix)
            .WithName("Correlate")
            .WithSummary("Pearson correlation (pairwise-complete) between a SIDS country and every other SIDS, over the indicators of a dataset and category in a year; highest first, undefined last as null.");
        group.MapPost("/cluster", Cluster).WithBody<ClusterRequest>().ProducesDomainError()
            .Answers(ClusterAnswer.Example)
            .WithName("Cluster")
            .WithSummary("k-means clusters of the SIDS over the indicators of a dataset and category in a year, missing values filled by EM (column means, then the assigned centroids until labels settle).");
        return app;
    }

    private static async Task<CorrelateAnswer> Correlate(HttpContext http, CountryCorrelationModel model)
    {
        var request = await http.ReadBodyAsync<CorrelateRequest>();
        var correlations = model.Correlate(new IndicatorGroup(request.Dataset, request.Category, request.Year, request.Standardize), request.Country);
        var values = new JsonArray();
        foreach (var c in correlations)
        {
            values.Add(double.IsFinite(c.Correlation) ? JsonValue.Create(c.Correlation) : null);
        }
        return new CorrelateAnswer(new JsonObject
        {
            ["Country Code"] = new JsonArray(correlations.Select(c => (JsonNode)JsonValue.Create(c.Country)).ToArray()),
            [request.Country] = values,
        });
    }

    private static async Task<ClusterAnswer> Cluster(HttpContext http, CountryCorrelationModel model)
    {
        var request = await http.ReadBodyAsync<ClusterRequest>();
        var clusters = model.Cluster(new IndicatorGroup(request.Dataset, request.Category, request.Year, request.Standardize), request.K,
            http.RequestAborted);
        return new ClusterAnswer(clusters.Select(c => c.Country).ToArray(), clusters.Select(c => c.Label).ToArray());
    }
}
