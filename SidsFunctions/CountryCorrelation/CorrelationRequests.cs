using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using SidsFunctions.Hosting;
using SidsFunctions.Hosting.Requests;

namespace SidsFunctions.CountryCorrelation;

internal static class StandardizeText
{
    public const string Description =
        "z-score each indicator across the SIDS countries first. With raw values the indicator with the largest scale decides "
        + "(nearly every correlation is 0.9999); false (the default) answers as the Python backend did.";
}

/// <summary>POST /correlation/correlate: the Python backend's <c>CorrRequest</c>, and <c>standardize</c>.</summary>
[SidsRequest]
public sealed record CorrelateRequest(
    [property: Display(Name = "The dataset code as defined in indicatorMeta file")] string Dataset,
    [property: Display(Name = "The category of the indicator as defined in indicatorMeta file ")] string Category,
    [property: Display(Name = "the iso-3 code for the SIDS country")] string Country,
    [property: Display(Name = "The year under consideration"), Range(2000, 2019)] int Year,
    [property: Display(Name = "Standardize the indicators"), Description(StandardizeText.Description)] bool Standardize = false)
    : IHasExample<CorrelateRequest>
{
    public static CorrelateRequest Example { get; } = new("wdi", "Health", "FJI", 2010);
}

/// <summary>POST /correlation/cluster: the Python backend's <c>ClusRequest</c>, and <c>standardize</c>.</summary>
[SidsRequest]
public sealed record ClusterRequest(
    [property: Display(Name = "The dataset code as defined in indicatorMeta file")] string Dataset,
    [property: Display(Name = "The category of the indicator as defined in indicatorMeta file ")] string Category,
    [property: Display(Name = "The year under consideration"), Range(2000, 2019)] int Year,
    [property: Display(Name = "The number of clusters expected"), Description("At most the number of countries with data (fewer are used when fewer exist)."), Range(1, 20)] int K,
    [property: Display(Name = "Standardize the indicators"), Description(StandardizeText.Description)] bool Standardize = false)
    : IHasExample<ClusterRequest>
{
    public static ClusterRequest Example { get; } = new("wdi", "Health", 2010, 3);
}

/// <summary>
/// The correlations of one country with the other SIDS, highest first: <c>{"Country Code": [...], "&lt;country&gt;": [...]}</c>
/// (pandas 'list' orient); null for countries whose correlation is undefined, listed last.
/// </summary>
public sealed record CorrelateAnswer([property: JsonPropertyName("country_corr")] JsonObject CountryCorr) : IHasExample<CorrelateAnswer>
{
    public static CorrelateAnswer Example { get; } = new(new JsonObject
    {
        ["Country Code"] = new JsonArray("TON", "WSM", "KIR"),
        ["FJI"] = new JsonArray(0.93, 0.88, null),
    });
}

/// <summary>SIDS countries and their cluster labels (numbered in order of first appearance).</summary>
public sealed record ClusterAnswer(IReadOnlyList<string> Country, IReadOnlyList<int> Label) : IHasExample<ClusterAnswer>
{
    public static ClusterAnswer Example { get; } = new(["FJI", "TON", "WSM"], [0, 0, 1]);
}
