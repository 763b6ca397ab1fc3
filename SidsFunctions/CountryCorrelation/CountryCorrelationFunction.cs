using System.Text.Json.Nodes;
using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SidsFunctions.Hosting;
using SidsFunctions.Hosting.Errors;
using SidsModels.CountryCorrelation;

namespace SidsFunctions.CountryCorrelation;

public static class CountryCorrelationRegistration
{
    public static IServiceCollection AddCountryCorrelation(this IServiceCollection services) =>
        services.AddSingleton(sp => new CountryCorrelationModel(sp.GetRequiredService<DatasetProvider>().Table));
}

/// <summary>The CountryCorrelation functions: how SIDS countries resemble each other over a dataset's category (/correlation/*).</summary>
[FunctionGroup("Country Correlation Model", Model = ModelSelection.CountryCorrelation, Prefix = Prefix)]
public sealed class CountryCorrelationFunction(IServiceProvider services)
{
    public const string Prefix = "/" + Route;
    private const string Route = "correlation";

    [Function("Correlate")]
    [Description("Pearson correlation (pairwise-complete) between a SIDS country and every other SIDS, over the indicators of a dataset and category in a year; highest first, undefined last as null (when none is defined: \"\" each, in the Python backend's order).")]
    [Binds(typeof(CorrelateRequest), RequestSource.Body)]
    [AlsoAnswers(StatusCodes.Status422UnprocessableEntity, typeof(DomainErrorBody))]
    [Answers(typeof(CorrelateAnswer))]
    [MainEndpoint("Country Correlation Model")]
    public async Task<IActionResult> Correlate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route + "/correlate")] HttpRequest req) =>
        Answer.Ok(await Correlate(req.HttpContext, services.GetRequiredService<CountryCorrelationModel>()));

    [Function("Cluster")]
    [Description("k-means clusters of the SIDS over the indicators of a dataset and category in a year, missing values filled by EM (column means, then the assigned centroids until labels settle).")]
    [Binds(typeof(ClusterRequest), RequestSource.Body)]
    [AlsoAnswers(StatusCodes.Status422UnprocessableEntity, typeof(DomainErrorBody))]
    [Answers(typeof(ClusterAnswer))]
    public async Task<IActionResult> Cluster([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route + "/cluster")] HttpRequest req) =>
        Answer.Ok(await Cluster(req.HttpContext, services.GetRequiredService<CountryCorrelationModel>()));

    private static async Task<CorrelateAnswer> Correlate(HttpContext http, CountryCorrelationModel model)
    {
        var request = await http.ReadBodyAsync<CorrelateRequest>();
        var correlations = model.Correlate(new IndicatorGroup(request.Dataset, request.Category, request.Year, request.Standardize), request.Country);
        // None defined: the Python backend's answer, "" for each (its only answer with an undefined value: with
        // some defined it failed). With some defined, the undefined ones are null.
        var noneDefined = correlations.All(c => !double.IsFinite(c.Correlation));
        var values = new JsonArray();
        foreach (var c in correlations)
        {
            values.Add(double.IsFinite(c.Correlation) ? JsonValue.Create(c.Correlation) : noneDefined ? JsonValue.Create("") : null);
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
