using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SidsFunctions.Hosting;
using SidsFunctions.Hosting.Requests;
using SidsModels.Common;
using SidsModels.SurveyClustering;

namespace SidsFunctions.SurveyCluster;

/// <summary>
/// The SurveyCluster function: POST /survey/clustering clusters a survey's respondents on one factor's
/// questions (the Python backend's endpoint, which never answered: its GPS filter raised and its answer did not
/// fit its response model).
/// </summary>
[FunctionGroup("Survey Analysis", Model = ModelSelection.SurveyCluster, Prefix = Prefix)]
public sealed class SurveyClusterFunction
{
    public const string Prefix = "/" + Route;
    private const string Route = "survey";

    [Function("SurveyClustering")]
    [Description("Clusters the survey's rows on the factor's questions (k-modes, k-means or k-prototypes), k chosen by Kneedle over k = 1 … max_k.")]
    [Binds(typeof(SurveyClusteringRequest), RequestSource.Body)]
    [AlsoAnswers(StatusCodes.Status422UnprocessableEntity, typeof(Hosting.Errors.DomainErrorBody))]
    [Answers(typeof(SurveyClusteringAnswer), Example = nameof(ClusteringExample))]
    [MainEndpoint("Survey Analysis")]
    public async Task<IActionResult> SurveyClustering([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route + "/clustering")] HttpRequest req) =>
        Answer.Ok(await Cluster(req.HttpContext, req.HttpContext.RequestAborted));

    private static SurveyClusteringAnswer ClusteringExample { get; } =
        new([0, 0, 1, null, 2, 1], 3, [120.0, 61.5, 24.2, 21.9], SurveyMethod.KPrototypes, null);

    private static async Task<SurveyClusteringAnswer> Cluster(HttpContext context, CancellationToken cancellationToken)
    {
        var request = await context.ReadBodyAsync<SurveyClusteringRequest>();
        var input = request.ToInput();
        var clusters = new SurveyClusterer().Cluster(input, cancellationToken);
        return SurveyClusteringAnswer.From(clusters);
    }
}

/// <summary>The Python backend's ClusterRequest: data and metadata as pandas DataFrame.to_dict gives them ('dict' or 'list' orient).</summary>
[SidsRequest]
public sealed record SurveyClusteringRequest(
    [property: Display(Name = "data json")]
    [property: Description("The answers, one column per question: {question: {row: answer}} (pandas 'dict' orient) or {question: [answers]} ('list' orient); null for a missing answer. At most 50000 rows and 200 questions.")]
    JsonElement Data,
    [property: Display(Name = "metadata json")]
    [property: Description("One row per question, with the columns 'Question Name', 'Type' (categorical, continuous, GPS latitude, GPS longitude; others are ignored) and 'Factor', in the same orients as data.")]
    JsonElement Metadata,
    [property: Display(Name = "factor to be clustered")]
    [property: Description("The Factor whose categorical and continuous questions the rows are clustered on.")]
    string Factor,
    [property: Display(Name = "Maximum number of clusters expected")]
    [property: Description("The largest k considered (2 to 20); k is chosen on the cost curve of k = 1 … max_k.")]
    [property: Range(2, 20)]
    int MaxK) : IHasExample<SurveyClusteringRequest>
{
    public static SurveyClusteringRequest Example { get; } = new(
        JsonDocument.Parse("""
            {"gps_lat": {"0": 13.1, "1": 13.2, "2": 13.1, "3": null},
             "gps_lon": {"0": -59.6, "1": -59.5, "2": -59.6, "3": -59.4},
             "crop": {"0": "maize", "1": "cassava", "2": "maize", "3": "maize"},
             "income": {"0": 120.5, "1": 80.0, "2": 130.0, "3": null}}
            """).RootElement.Clone(),
        JsonDocument.Parse("""
            {"Question Name": {"0": "gps_lat", "1": "gps_lon", "2": "crop", "3": "income"},
             "Type": {"0": "GPS latitude", "1": "GPS longitude", "2": "categorical", "3": "continuous"},
             "Factor": {"0": "location", "1": "location", "2": "livelihood", "3": "livelihood"}}
            """).RootElement.Clone(),
        "livelihood",
        3);

    public const string QuestionNameColumn = "Question Name";
    public const string TypeColumn = "Type";
    public const string FactorColumn = "Factor";

    /// <summary>The typed input of the model; malformed data or metadata is an <see cref="InvalidInputException"/> naming the field.</summary>
    public SurveyClusteringInput ToInput()
    {
        var data = SurveyTableReader.Read(Data, "data", SurveyClusterer.MaxQuestions, SurveyClusterer.MaxRows);
        var metadata = SurveyTableReader.Read(Metadata, "metadata", 100, SurveyClusterer.MaxQuestions, "questions");
        return new SurveyClusteringInput(new SurveyData(data.RowKeys, data.Columns), Questions(metadata), Factor, MaxK);
    }

    private static IReadOnlyList<SurveyQuestion> Questions(SurveyTableReader.Table metadata)
    {
        var byName = metadata.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var missing = new[] { QuestionNameColumn, TypeColumn, FactorColumn }.Where(c => !byName.ContainsKey(c)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidInputException(
                $"metadata needs the columns 'Question Name', 'Type' and 'Factor'; it lacks {string.Join(", ", missing.Select(m => $"'{m}'"))}.", "metadata");
        }
        var names = byName[QuestionNameColumn].Answers;
        var types = byName[TypeColumn].Answers;
        var factors = byName[FactorColumn].Answers;
        var questions = new List<SurveyQuestion>(metadata.RowKeys.Count);
        for (var i = 0; i < metadata.RowKeys.Count; i++)
        {
            var type = SurveyQuestion.ParseType(types[i].IsBlank ? null : types[i].AsCategory());
            if (names[i].IsBlank)
            {
                if (type == QuestionType.Other)
                {
                    continue; // a row about nothing the clustering uses
                }
                throw new InvalidInputException(
                    $"metadata row '{SurveyTableReader.Short(metadata.RowKeys[i])}' has the type '{types[i].AsCategory()}' but no 'Question Name'.", "metadata");
            }
            questions.Add(new SurveyQuestion(names[i].AsCategory(), type, factors[i].IsBlank ? null : factors[i].AsCategory()));
        }
        return questions;
    }
}

/// <summary>
/// The answer: a cluster per input row (null where the row was left out: no GPS coordinate, or no answer),
/// the chosen k, the cost of k = 1 … (the curve k was chosen on), the method, and for k-means the input row
/// nearest each cluster's centroid (the Python backend's "centroids" column), indexed by cluster.
/// </summary>
public sealed record SurveyClusteringAnswer(
    IReadOnlyList<int?> ClusterLabel,
    int K,
    IReadOnlyList<double> Costs,
    [property: JsonConverter(typeof(JsonStringEnumConverter<SurveyMethod>))] SurveyMethod Method,
    IReadOnlyList<int>? CentroidRows)
{
    public static SurveyClusteringAnswer From(SurveyClusters clusters) => new(
        clusters.Labels,
        clusters.K,
        clusters.Costs,
        clusters.Method switch
        {
            ClusteringMethod.KModes => SurveyMethod.KModes,
            ClusteringMethod.KMeans => SurveyMethod.KMeans,
            _ => SurveyMethod.KPrototypes,
        },
        clusters.CentroidRows);
}

public enum SurveyMethod
{
    [JsonStringEnumMemberName("k-modes")]
    KModes,

    [JsonStringEnumMemberName("k-means")]
    KMeans,

    [JsonStringEnumMemberName("k-prototypes")]
    KPrototypes,
}
