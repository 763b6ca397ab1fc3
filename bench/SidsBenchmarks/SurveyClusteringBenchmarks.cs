using System.Globalization;
using BenchmarkDotNet.Attributes;
using SidsModels.Common;
using SidsModels.SurveyClustering;

namespace SidsBenchmarks;

/// <summary>
/// The survey clustering at the size the issue names: 10,000 rows × 20 questions of one factor (10 categorical
/// with 5 categories, 10 continuous), 4 planted clusters, max_k 10, so k-prototypes with 10 restarts at each
/// k = 1 … 10. Target: under 2 s. Also the categorical-only (k-modes) and continuous-only (k-means) halves.
/// </summary>
[MemoryDiagnoser]
public class SurveyClusteringBenchmarks
{
    private SurveyClusteringInput mixed = null!;
    private SurveyClusteringInput categorical = null!;
    private SurveyClusteringInput continuous = null!;

    [GlobalSetup]
    public void Setup()
    {
        mixed = Survey(10_000, 10, 10, "mixed");
        categorical = mixed with { Factor = "categorical" };
        continuous = mixed with { Factor = "continuous" };
    }

    [Benchmark(Description = "10k rows × 20 mixed questions, max_k 10 (k-prototypes)")]
    public SurveyClusters Mixed() => new SurveyClusterer().Cluster(mixed);

    [Benchmark(Description = "10k rows × 10 categorical questions, max_k 10 (k-modes)")]
    public SurveyClusters Categorical() => new SurveyClusterer().Cluster(categorical);

    [Benchmark(Description = "10k rows × 10 continuous questions, max_k 10 (k-means)")]
    public SurveyClusters Continuous() => new SurveyClusterer().Cluster(continuous);

    /// <summary>
    /// A survey with planted clusters: each cluster has a likely category per categorical question (80%, else
    /// random) and a centre per continuous question (normal noise of 1 around centres up to ±4 apart); 1% of
    /// answers missing, 1% of rows without GPS. Factors: "mixed" (all), "categorical", "continuous".
    /// </summary>
    public static SurveyClusteringInput Survey(int rows, int categoricalQuestions, int continuousQuestions, string factor)
    {
        var rng = new Rng(2024);
        const int clusters = 4;
        var truth = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            truth[i] = rng.NextInt(clusters);
        }
        var columns = new List<SurveyColumn>();
        var questions = new List<SurveyQuestion>();
        columns.Add(new SurveyColumn("gps_lat", Enumerable.Range(0, rows).Select(_ => rng.NextDouble() < 0.01 ? SurveyAnswer.Missing : SurveyAnswer.Of(rng.NextDouble(-20, 20))).ToArray()));
        columns.Add(new SurveyColumn("gps_lon", Enumerable.Range(0, rows).Select(_ => SurveyAnswer.Of(rng.NextDouble(-180, 180))).ToArray()));
        questions.Add(new SurveyQuestion("gps_lat", QuestionType.GpsLatitude, "location"));
        questions.Add(new SurveyQuestion("gps_lon", QuestionType.GpsLongitude, "location"));
        for (var q = 0; q < categoricalQuestions; q++)
        {
            var profile = Enumerable.Range(0, clusters).Select(_ => rng.NextInt(5)).ToArray();
            var answers = new SurveyAnswer[rows];
            for (var i = 0; i < rows; i++)
            {
                var value = rng.NextDouble() < 0.8 ? profile[truth[i]] : rng.NextInt(5);
                answers[i] = rng.NextDouble() < 0.01 ? SurveyAnswer.Missing : SurveyAnswer.Of("option " + value.ToString(CultureInfo.InvariantCulture));
            }
            columns.Add(new SurveyColumn("c" + q, answers));
            questions.Add(new SurveyQuestion("c" + q, QuestionType.Categorical, "categorical"));
            questions.Add(new SurveyQuestion("c" + q, QuestionType.Categorical, "mixed"));
        }
        for (var q = 0; q < continuousQuestions; q++)
        {
            var centres = Enumerable.Range(0, clusters).Select(_ => rng.NextDouble(-2, 2)).ToArray();
            var answers = new SurveyAnswer[rows];
            for (var i = 0; i < rows; i++)
            {
                answers[i] = rng.NextDouble() < 0.01 ? SurveyAnswer.Missing : SurveyAnswer.Of(centres[truth[i]] + rng.NextGaussian());
            }
            columns.Add(new SurveyColumn("x" + q, answers));
            questions.Add(new SurveyQuestion("x" + q, QuestionType.Continuous, "continuous"));
            questions.Add(new SurveyQuestion("x" + q, QuestionType.Continuous, "mixed"));
        }
        var keys = Enumerable.Range(0, rows).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        return new SurveyClusteringInput(new SurveyData(keys, columns), questions, factor, 10);
    }
}
