using System.Globalization;

namespace SidsModels.SurveyClustering;

/// <summary>What a survey question holds, from the metadata's "Type" column.</summary>
public enum QuestionType
{
    Categorical,
    Continuous,
    GpsLatitude,
    GpsLongitude,

    /// <summary>Any other type (text, date, note…): not clustered on.</summary>
    Other,
}

/// <summary>One row of the survey's metadata: a question, its type and the factor (theme) it belongs to.</summary>
public sealed record SurveyQuestion(string Name, QuestionType Type, string? Factor)
{
    /// <summary>The metadata's type text as the survey tools write it ("categorical", "continuous", "GPS latitude", "GPS longitude"), case and surrounding spaces ignored.</summary>
    public static QuestionType ParseType(string? type) => type?.Trim().ToLowerInvariant() switch
    {
        "categorical" => QuestionType.Categorical,
        "continuous" => QuestionType.Continuous,
        "gps latitude" => QuestionType.GpsLatitude,
        "gps longitude" => QuestionType.GpsLongitude,
        _ => QuestionType.Other,
    };
}

public enum AnswerKind
{
    Missing,
    Number,
    Text,
}

/// <summary>One answer: missing, a number, or text (true/false arrive as the text "True"/"False", as pandas prints them).</summary>
public readonly record struct SurveyAnswer(AnswerKind Kind, double Number, string? Text)
{
    public static SurveyAnswer Missing => default;

    public static SurveyAnswer Of(double number) => new(AnswerKind.Number, number, null);

    public static SurveyAnswer Of(string text) => new(AnswerKind.Text, double.NaN, text);

    /// <summary>Missing, or text of nothing but white space (survey exports write empty cells so).</summary>
    public bool IsBlank => Kind == AnswerKind.Missing || (Kind == AnswerKind.Text && string.IsNullOrWhiteSpace(Text));

    /// <summary>The answer as a category: text as it is, a number in its shortest round-trip form (1 and 1.0 are one category).</summary>
    public string AsCategory() => Kind switch
    {
        AnswerKind.Number => Number.ToString("R", CultureInfo.InvariantCulture),
        AnswerKind.Text => Text!,
        _ => throw new InvalidOperationException("A missing answer has no category."),
    };
}

/// <summary>One column of answers (a question), one answer per row.</summary>
public sealed record SurveyColumn(string Name, IReadOnlyList<SurveyAnswer> Answers);

/// <summary>
/// The answers of a survey: columns of equal length, and the key of each row as the request named it (the
/// index of pandas' 'dict' orient, or the position in 'list' orient) for messages. The model copies nothing
/// it does not need and changes nothing.
/// </summary>
public sealed record SurveyData
{
    public SurveyData(IReadOnlyList<string> rowKeys, IReadOnlyList<SurveyColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(rowKeys);
        ArgumentNullException.ThrowIfNull(columns);
        foreach (var column in columns)
        {
            if (column.Answers.Count != rowKeys.Count)
            {
                throw new ArgumentException($"Column '{column.Name}' has {column.Answers.Count} answers for {rowKeys.Count} rows.", nameof(columns));
            }
        }
        RowKeys = rowKeys;
        Columns = columns;
    }

    public IReadOnlyList<string> RowKeys { get; }

    public IReadOnlyList<SurveyColumn> Columns { get; }

    public int RowCount => RowKeys.Count;
}

/// <summary>A clustering request: the answers, the metadata describing their questions, the factor to cluster on and the largest k to consider.</summary>
public sealed record SurveyClusteringInput(SurveyData Data, IReadOnlyList<SurveyQuestion> Questions, string Factor, int MaxK);

/// <summary>Which algorithm clustered the factor, decided by its question types.</summary>
public enum ClusteringMethod
{
    /// <summary>Only categorical questions.</summary>
    KModes,

    /// <summary>Only continuous questions.</summary>
    KMeans,

    /// <summary>Both.</summary>
    KPrototypes,
}

/// <summary>
/// The answer: a cluster per input row (null for rows left out: no GPS coordinate, or no answer at all),
/// the k chosen, the cost at each k from 1 (the curve the elbow was found on), the method, and for k-means
/// the input row nearest each centroid (indexed by cluster).
/// </summary>
public sealed record SurveyClusters(
    IReadOnlyList<int?> Labels,
    int K,
    IReadOnlyList<double> Costs,
    ClusteringMethod Method,
    IReadOnlyList<int>? CentroidRows);
