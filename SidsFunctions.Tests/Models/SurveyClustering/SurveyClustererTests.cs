using System.Globalization;
using System.Text.Json.Nodes;
using SidsFunctions.Tests.Infrastructure;
using SidsFunctions.Tests.Models.Clustering;
using SidsModels.Common;
using SidsModels.SurveyClustering;

namespace SidsFunctions.Tests.Models.SurveyClustering;

public sealed class SurveyClustererTests
{
    /// <summary>
    /// survey-example.json (shared/reference): 90 rows around 3 planted clusters, row 5 without a latitude,
    /// the factor mixing 4 categorical and 2 continuous questions.
    /// </summary>
    [Fact]
    public void TheExampleSurveyRecoversItsPlantedClusters()
    {
        var (input, truth) = Example();
        var clusters = new SurveyClusterer().Cluster(input);

        Assert.Equal(ClusteringMethod.KPrototypes, clusters.Method);
        Assert.Equal(3, clusters.K);
        Assert.Equal(90, clusters.Labels.Count);
        Assert.Null(clusters.Labels[5]);
        Assert.Equal(89, clusters.Labels.Count(l => l is not null));
        Assert.Equal(8, clusters.Costs.Count);
        Assert.Null(clusters.CentroidRows);
        var kept = Enumerable.Range(0, 90).Where(i => clusters.Labels[i] is not null).ToArray();
        Assert.True(KMeansTests.Agreement(kept.Select(i => clusters.Labels[i]!.Value).ToArray(), kept.Select(i => truth[i]).ToArray()) >= 0.9);
        Assert.Equal(0, clusters.Labels[0]); // clusters are numbered in order of their first row
    }

    [Fact]
    public void TheAnswerIsTheSameEveryTimeWhateverTheParallelism()
    {
        var (input, _) = Example();
        var first = new SurveyClusterer(new SurveyClusteringOptions { MaxDegreeOfParallelism = 1 }).Cluster(input);
        var second = new SurveyClusterer(new SurveyClusteringOptions { MaxDegreeOfParallelism = 4 }).Cluster(input);
        Assert.Equal(first.Labels, second.Labels);
        Assert.Equal(first.Costs, second.Costs);
    }

    [Fact]
    public void OnlyCategoricalQuestionsUseKModesWithMissingAnswersAsUnknown()
    {
        var (input, truth) = Example();
        var questions = input.Questions.Select(q => q.Name.StartsWith('x') ? q with { Factor = "other" } : q).ToArray();
        var data = WithAnswer(input.Data, "q0", 3, SurveyAnswer.Missing);
        var clusters = new SurveyClusterer().Cluster(input with { Data = data, Questions = questions });
        Assert.Equal(ClusteringMethod.KModes, clusters.Method);
        Assert.NotNull(clusters.Labels[3]);
        Assert.Null(clusters.Labels[5]);
        Assert.True(clusters.Costs.Zip(clusters.Costs.Skip(1)).All(p => p.Second <= p.First));
        Assert.True(clusters.Costs.All(c => c == Math.Floor(c))); // mismatches are counted
    }

    [Fact]
    public void OnlyContinuousQuestionsUseKMeansAndGiveTheRowsNearestTheCentroids()
    {
        var rng = new Rng(12);
        var (x, truth) = KMeansTests.Blobs(rng, 4, 40, 3, spread: 0.5, distance: 5);
        var columns = Enumerable.Range(0, 3).Select(j => new SurveyColumn("c" + j, Enumerable.Range(0, x.Rows).Select(i => SurveyAnswer.Of(x[i, j] * (j + 1) * 100)).ToArray()))
            .Append(new SurveyColumn("note", Enumerable.Range(0, x.Rows).Select(_ => SurveyAnswer.Of("free text")).ToArray()))
            .ToArray();
        // A missing answer (at the column mean) and numeric text are accepted.
        columns[0] = columns[0] with { Answers = columns[0].Answers.Select((a, i) => i == 7 ? SurveyAnswer.Missing : i == 8 ? SurveyAnswer.Of(a.Number.ToString("R", CultureInfo.InvariantCulture)) : a).ToArray() };
        var data = new SurveyData(Enumerable.Range(0, x.Rows).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray(), columns);
        var questions = new[]
        {
            new SurveyQuestion("c0", QuestionType.Continuous, "f"), new SurveyQuestion("c1", QuestionType.Continuous, "f"),
            new SurveyQuestion("c2", QuestionType.Continuous, "f"), new SurveyQuestion("note", QuestionType.Other, "f"),
        };
        var clusters = new SurveyClusterer().Cluster(new SurveyClusteringInput(data, questions, "f", 8));

        Assert.Equal(ClusteringMethod.KMeans, clusters.Method);
        Assert.Equal(4, clusters.K);
        Assert.True(KMeansTests.Agreement(clusters.Labels.Select(l => l!.Value).ToArray(), truth) >= 0.95);
        Assert.Equal(4, clusters.CentroidRows!.Count);
        for (var c = 0; c < 4; c++)
        {
            Assert.Equal(c, clusters.Labels[clusters.CentroidRows[c]]);
        }
    }

    [Fact]
    public void TheCostCurveStopsAtTheNumberOfDistinctRows()
    {
        var rows = new[] { "a", "a", "b", "b", "c", "c", "c" };
        var data = new SurveyData(rows.Select((_, i) => i.ToString(CultureInfo.InvariantCulture)).ToArray(),
            [new SurveyColumn("q", rows.Select(SurveyAnswer.Of).ToArray())]);
        var clusters = new SurveyClusterer().Cluster(new SurveyClusteringInput(data, [new SurveyQuestion("q", QuestionType.Categorical, "f")], "f", 10));
        Assert.Equal(3, clusters.Costs.Count);
        Assert.Equal(0.0, clusters.Costs[2]);
    }

    [Fact]
    public void WithoutGpsQuestionsOnlyRowsWithoutAnyAnswerAreLeftOut()
    {
        var rows = new[] { "a", null, "b", "b", "a" };
        var data = new SurveyData(rows.Select((_, i) => i.ToString(CultureInfo.InvariantCulture)).ToArray(),
            [new SurveyColumn("q", rows.Select(r => r is null ? SurveyAnswer.Missing : SurveyAnswer.Of(r)).ToArray())]);
        var clusters = new SurveyClusterer().Cluster(new SurveyClusteringInput(data, [new SurveyQuestion("q", QuestionType.Categorical, "f")], "f", 3));
        Assert.Null(clusters.Labels[1]);
        Assert.Equal([0, null, 1, 1, 0], clusters.Labels);
    }

    [Fact]
    public void NumbersAndTextAreCategoriesAlike()
    {
        Assert.Equal("1", SurveyAnswer.Of(1.0).AsCategory());
        Assert.Equal("2.5", SurveyAnswer.Of(2.5).AsCategory());
        Assert.Equal("1", SurveyAnswer.Of("1").AsCategory());
        Assert.True(SurveyAnswer.Of("  ").IsBlank);
        Assert.True(SurveyAnswer.Missing.IsBlank);
        Assert.Equal(QuestionType.GpsLatitude, SurveyQuestion.ParseType(" GPS Latitude "));
        Assert.Equal(QuestionType.Other, SurveyQuestion.ParseType("text"));
    }

    [Theory]
    [InlineData("nope", "factor 'nope' is not a Factor of the metadata; its factors are: 'livelihood', 'location'.", "factor")]
    [InlineData("location", "factor 'location' has no categorical or continuous question to cluster on (its questions are of type 'GpsLatitude', 'GpsLongitude').", "factor")]
    public void FactorsThatCannotBeClusteredAreRefused(string factor, string message, string field)
    {
        var (input, _) = Example();
        var e = Assert.Throws<InvalidInputException>(() => new SurveyClusterer().Cluster(input with { Factor = factor }));
        Assert.Equal(message, e.Message);
        Assert.Equal(field, e.Field);
        Assert.Equal(InputErrorKind.Invalid, e.Kind);
    }

    [Fact]
    public void TextInAContinuousQuestionIsRefusedNamingTheQuestionAndRow()
    {
        var (input, _) = Example();
        var data = WithAnswer(input.Data, "x1", 12, SurveyAnswer.Of("about ten"));
        var e = Assert.Throws<InvalidInputException>(() => new SurveyClusterer().Cluster(input with { Data = data }));
        Assert.Equal("question 'x1' is continuous but row '12' holds text ('about ten'), not a number.", e.Message);
    }

    [Fact]
    public void AQuestionMissingFromTheDataIsRefused()
    {
        var (input, _) = Example();
        var questions = input.Questions.Append(new SurveyQuestion("q9", QuestionType.Categorical, "livelihood")).ToArray();
        var e = Assert.Throws<InvalidInputException>(() => new SurveyClusterer().Cluster(input with { Questions = questions }));
        Assert.Equal("question 'q9' of factor 'livelihood' is not a column of data.", e.Message);
    }

    [Fact]
    public void NoRowWithCoordinatesIsRefused()
    {
        var (input, _) = Example();
        var columns = input.Data.Columns.Select(c => c.Name == "gps_lon" ? c with { Answers = c.Answers.Select(_ => SurveyAnswer.Missing).ToArray() } : c).ToArray();
        var e = Assert.Throws<InvalidInputException>(() => new SurveyClusterer().Cluster(input with { Data = new SurveyData(input.Data.RowKeys, columns) }));
        Assert.Equal("no row of data has both GPS coordinates ('gps_lat', 'gps_lon'): nothing to cluster.", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(21)]
    public void MaxKOutsideTwoToTwentyIsRefused(int maxK)
    {
        var (input, _) = Example();
        var e = Assert.Throws<InvalidInputException>(() => new SurveyClusterer().Cluster(input with { MaxK = maxK }));
        Assert.Equal("max_k", e.Field);
    }

    [Fact]
    public void TooManyRowsOrQuestionsAreTooLarge()
    {
        var keys = Enumerable.Range(0, SurveyClusterer.MaxRows + 1).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var big = new SurveyData(keys, [new SurveyColumn("q", keys.Select(_ => SurveyAnswer.Of("a")).ToArray())]);
        var rows = Assert.Throws<InvalidInputException>(() =>
            new SurveyClusterer().Cluster(new SurveyClusteringInput(big, [new SurveyQuestion("q", QuestionType.Categorical, "f")], "f", 3)));
        Assert.Equal(InputErrorKind.TooLarge, rows.Kind);

        var wide = new SurveyData(["0"], Enumerable.Range(0, SurveyClusterer.MaxQuestions + 1).Select(j => new SurveyColumn("q" + j, [SurveyAnswer.Of(1)])).ToArray());
        var questions = Assert.Throws<InvalidInputException>(() =>
            new SurveyClusterer().Cluster(new SurveyClusteringInput(wide, [new SurveyQuestion("q0", QuestionType.Continuous, "f")], "f", 3)));
        Assert.Equal(InputErrorKind.TooLarge, questions.Kind);
    }

    private static SurveyData WithAnswer(SurveyData data, string column, int row, SurveyAnswer answer) =>
        new(data.RowKeys, data.Columns.Select(c => c.Name == column ? c with { Answers = c.Answers.Select((a, i) => i == row ? answer : a).ToArray() } : c).ToArray());

    /// <summary>The example survey as typed input (read here from its 'dict' orient), and the planted cluster of each row.</summary>
    internal static (SurveyClusteringInput Input, int[] Truth) Example()
    {
        var example = Fixtures.Upstream("survey-example.json");
        var request = example["request"]!;
        var data = request["data"]!.AsObject();
        var keys = data.First().Value!.AsObject().Select(p => p.Key).ToArray();
        var columns = data.Select(c => new SurveyColumn(c.Key, keys.Select(k => Answer(c.Value![k])).ToArray())).ToArray();
        var metadata = request["metadata"]!;
        var rows = metadata["Question Name"]!.AsObject().Select(p => p.Key).ToArray();
        var questions = rows.Select(r => new SurveyQuestion(metadata["Question Name"]![r]!.GetValue<string>(),
            SurveyQuestion.ParseType(metadata["Type"]![r]!.GetValue<string>()), metadata["Factor"]![r]!.GetValue<string>())).ToArray();
        var input = new SurveyClusteringInput(new SurveyData(keys, columns), questions, request["factor"]!.GetValue<string>(), request["max_k"]!.GetValue<int>());
        return (input, example["truth"]!.AsArray().Select(t => t!.GetValue<int>()).ToArray());
    }

    private static SurveyAnswer Answer(JsonNode? value) => value switch
    {
        null => SurveyAnswer.Missing,
        JsonValue v when v.TryGetValue<string>(out var text) => SurveyAnswer.Of(text),
        JsonValue v => SurveyAnswer.Of(v.GetValue<double>()),
        _ => throw new InvalidOperationException("unexpected cell"),
    };
}
