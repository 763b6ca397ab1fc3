using System.Globalization;
using SidsModels.Clustering;
using SidsModels.Common;

namespace SidsModels.SurveyClustering;

/// <summary>Settings of the survey clustering: seed, restarts per k, parallelism.</summary>
public sealed record SurveyClusteringOptions
{
    public ulong Seed { get; init; } = 20240601;

    /// <summary>Restarts of each clustering (the kmodes package's and scikit-learn's n_init).</summary>
    public int Restarts { get; init; } = 10;

    /// <summary>Restarts run at once; 0 means <see cref="Environment.ProcessorCount"/>. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; }
}

/// <summary>
/// Clusters the respondents of a survey on the questions of one factor, as the Python backend's SurveyCluster
/// model meant to: rows without both GPS coordinates (or with no answer at all) are left out; the factor's
/// question types decide the algorithm — only categorical: k-modes (missing answers are the category
/// "unknown"); only continuous: k-means on standardised answers (missing ones at the column mean); both:
/// k-prototypes (missing numbers at the column mean, missing categories "unknown", gamma from the data).
/// Each k from 1 to max_k is fitted with 10 restarts — fewer when the rows hold fewer distinct answers than
/// max_k, the most clusters they can make — and k is chosen on the cost curve by Kneedle on the logarithm
/// of the costs (<see cref="Elbow.KneedleOnLogCosts"/>). Clusters are numbered in order of their first row.
/// Seeded: one request always gets the same answer.
/// </summary>
public sealed class SurveyClusterer
{
    public const int MaxRows = 50_000;
    public const int MaxQuestions = 200;
    public const int MinK = 2;
    public const int MaxK = 20;

    /// <summary>The category missing categorical answers get, as the Python backend filled them.</summary>
    public const string MissingCategory = "unknown";

    private readonly SurveyClusteringOptions options;

    public SurveyClusterer(SurveyClusteringOptions? options = null)
    {
        options ??= new SurveyClusteringOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Restarts, 1, nameof(options.Restarts));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxDegreeOfParallelism, nameof(options.MaxDegreeOfParallelism));
        this.options = options;
    }

    /// <exception cref="InvalidInputException">
    /// Too many rows or questions (TooLarge); max_k outside 2…20; an unknown factor, or one without categorical or
    /// continuous questions; a question missing from the data; text in a continuous question; no row to cluster.
    /// </exception>
    public SurveyClusters Cluster(SurveyClusteringInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var data = input.Data;
        CheckLimits(input);
        var columns = new Dictionary<string, SurveyColumn>(StringComparer.Ordinal);
        foreach (var column in data.Columns)
        {
            columns.TryAdd(column.Name, column);
        }

        var (categorical, continuous) = FactorQuestions(input, columns);
        var kept = KeptRows(input, columns);
        cancellationToken.ThrowIfCancellationRequested();

        var seeds = new ulong[input.MaxK];
        var root = new Rng(options.Seed);
        for (var k = 0; k < seeds.Length; k++)
        {
            seeds[k] = root.NextUInt64();
        }

        ClusteringMethod method;
        List<double> costs;
        int chosenK;
        int[] labels;
        int[]? centroidRows = null;
        if (continuous.Count == 0)
        {
            method = ClusteringMethod.KModes;
            var x = Categories(categorical, kept);
            (costs, chosenK, labels) = Curve(input.MaxK, DistinctRows.Count(null, x, input.MaxK), kept.Length, cancellationToken, k =>
            {
                var model = new KModesLearner(new KModesOptions(k) { Seed = seeds[k - 1], Restarts = options.Restarts, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism })
                    .Learn(x, cancellationToken);
                return (model.Cost, model.Labels);
            });
        }
        else if (categorical.Count == 0)
        {
            method = ClusteringMethod.KMeans;
            var x = Numbers(continuous, kept, data.RowKeys);
            Standardise(x);
            var models = new KMeansModel[input.MaxK + 1];
            (costs, chosenK, labels) = Curve(input.MaxK, DistinctRows.Count(x, null, input.MaxK), kept.Length, cancellationToken, k =>
            {
                var model = new KMeansLearner(new KMeansOptions(k) { Seed = seeds[k - 1], Restarts = options.Restarts, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism })
                    .Learn(x, cancellationToken);
                models[k] = model;
                return (model.Inertia, model.Labels);
            });
            centroidRows = models[chosenK].NearestRows(x);
        }
        else
        {
            method = ClusteringMethod.KPrototypes;
            var numbers = Numbers(continuous, kept, data.RowKeys);
            var categories = Categories(categorical, kept);
            var gamma = KPrototypesLearner.DefaultGamma(numbers);
            (costs, chosenK, labels) = Curve(input.MaxK, DistinctRows.Count(numbers, categories, input.MaxK), kept.Length, cancellationToken, k =>
            {
                var model = new KPrototypesLearner(new KPrototypesOptions(k)
                {
                    Seed = seeds[k - 1], Restarts = options.Restarts, Gamma = gamma, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
                }).Learn(numbers, categories, cancellationToken);
                return (model.Cost, model.Labels);
            });
        }

        // Number clusters in order of their first row, so that the answer reads the same whatever the restarts found first.
        var order = new int[chosenK];
        Array.Fill(order, -1);
        var next = 0;
        foreach (var label in labels)
        {
            if (order[label] < 0)
            {
                order[label] = next++;
            }
        }
        for (var c = 0; c < chosenK; c++)
        {
            if (order[c] < 0)
            {
                order[c] = next++; // an empty cluster (k-means on repeated rows) comes last
            }
        }
        var result = new int?[data.RowCount];
        for (var i = 0; i < kept.Length; i++)
        {
            result[kept[i]] = order[labels[i]];
        }
        IReadOnlyList<int>? rows = null;
        if (centroidRows is not null)
        {
            var renumbered = new int[centroidRows.Length];
            for (var c = 0; c < centroidRows.Length; c++)
            {
                renumbered[order[c]] = kept[centroidRows[c]];
            }
            rows = renumbered;
        }
        return new SurveyClusters(result, chosenK, costs, method, rows);
    }

    /// <summary>Fits k = 1 … the largest k the rows allow, and returns the costs, the k at the elbow and its labels.</summary>
    private static (List<double> Costs, int K, int[] Labels) Curve(int maxK, int distinct, int rows, CancellationToken cancellationToken,
        Func<int, (double Cost, IReadOnlyList<int> Labels)> fit)
    {
        var last = Math.Min(maxK, Math.Min(distinct, rows));
        var costs = new List<double>(last);
        var labels = new List<IReadOnlyList<int>>(last);
        for (var k = 1; k <= last; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (cost, found) = fit(k);
            costs.Add(cost);
            labels.Add(found);
        }
        var chosen = Elbow.KneedleOnLogCosts(costs);
        return (costs, chosen, labels[chosen - 1].ToArray());
    }

    private static void CheckLimits(SurveyClusteringInput input)
    {
        if (input.Data.RowCount > MaxRows)
        {
            throw new InvalidInputException(
                $"data has {input.Data.RowCount} rows; at most {MaxRows} are accepted.", "data", InputErrorKind.TooLarge);
        }
        if (input.Data.Columns.Count > MaxQuestions)
        {
            throw new InvalidInputException(
                $"data has {input.Data.Columns.Count} questions (columns); at most {MaxQuestions} are accepted.", "data", InputErrorKind.TooLarge);
        }
        if (input.Questions.Count > MaxQuestions)
        {
            throw new InvalidInputException(
                $"metadata describes {input.Questions.Count} questions; at most {MaxQuestions} are accepted.", "metadata", InputErrorKind.TooLarge);
        }
        if (input.MaxK is < MinK or > MaxK)
        {
            throw new InvalidInputException($"max_k is {input.MaxK}; it must be from {MinK} to {MaxK}.", "max_k");
        }
        if (input.Data.Columns.Count == 0)
        {
            throw new InvalidInputException("data has no question (column).", "data");
        }
    }

    /// <summary>The factor's categorical and continuous questions, in metadata order; each must be a column of the data.</summary>
    private static (List<SurveyColumn> Categorical, List<SurveyColumn> Continuous) FactorQuestions(SurveyClusteringInput input,
        Dictionary<string, SurveyColumn> columns)
    {
        var inFactor = input.Questions.Where(q => string.Equals(q.Factor, input.Factor, StringComparison.Ordinal)).ToArray();
        if (inFactor.Length == 0)
        {
            var known = input.Questions.Select(q => q.Factor).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            throw new InvalidInputException(
                $"factor '{input.Factor}' is not a Factor of the metadata; its factors are: {Listing(known)}.", "factor");
        }
        var categorical = new List<SurveyColumn>();
        var continuous = new List<SurveyColumn>();
        var types = new Dictionary<string, QuestionType>(StringComparer.Ordinal);
        foreach (var question in inFactor.Where(q => q.Type is QuestionType.Categorical or QuestionType.Continuous))
        {
            if (types.TryGetValue(question.Name, out var earlier))
            {
                if (earlier != question.Type)
                {
                    throw new InvalidInputException(
                        $"question '{question.Name}' of factor '{input.Factor}' is listed in metadata as both categorical and continuous.", "metadata");
                }
                continue;
            }
            types[question.Name] = question.Type;
            if (!columns.TryGetValue(question.Name, out var column))
            {
                throw new InvalidInputException(
                    $"question '{question.Name}' of factor '{input.Factor}' is not a column of data.", "data");
            }
            (question.Type == QuestionType.Categorical ? categorical : continuous).Add(column);
        }
        if (types.Count == 0)
        {
            var found = inFactor.Select(q => q.Type.ToString()).Distinct().ToArray();
            throw new InvalidInputException(
                $"factor '{input.Factor}' has no categorical or continuous question to cluster on (its questions are of type {Listing(found)}).", "factor");
        }
        return (categorical, continuous);
    }

    /// <summary>
    /// The rows clustered: those with an answer to both GPS questions (the first of each type in the metadata,
    /// when it has one) and at least one answer anywhere (pandas' dropna(how="all")).
    /// </summary>
    private static int[] KeptRows(SurveyClusteringInput input, Dictionary<string, SurveyColumn> columns)
    {
        var gps = new List<SurveyColumn>();
        foreach (var type in new[] { QuestionType.GpsLatitude, QuestionType.GpsLongitude })
        {
            if (input.Questions.FirstOrDefault(q => q.Type == type) is not { } question)
            {
                continue;
            }
            if (!columns.TryGetValue(question.Name, out var column))
            {
                throw new InvalidInputException($"{Describe(type)} question '{question.Name}' is not a column of data.", "data");
            }
            gps.Add(column);
        }
        var data = input.Data;
        var kept = new List<int>(data.RowCount);
        for (var i = 0; i < data.RowCount; i++)
        {
            var located = true;
            foreach (var column in gps)
            {
                located &= !column.Answers[i].IsBlank;
            }
            if (!located)
            {
                continue;
            }
            foreach (var column in data.Columns)
            {
                if (!column.Answers[i].IsBlank)
                {
                    kept.Add(i);
                    break;
                }
            }
        }
        if (kept.Count == 0)
        {
            throw new InvalidInputException(gps.Count > 0
                ? $"no row of data has both GPS coordinates ({Listing(gps.Select(c => c.Name).ToArray())}): nothing to cluster."
                : "no row of data has an answer: nothing to cluster.", "data");
        }
        return kept.ToArray();
    }

    private static CategoricalMatrix Categories(List<SurveyColumn> questions, int[] rows)
    {
        var columns = new IReadOnlyList<string>[questions.Count];
        for (var a = 0; a < questions.Count; a++)
        {
            var answers = questions[a].Answers;
            var values = new string[rows.Length];
            for (var i = 0; i < rows.Length; i++)
            {
                var answer = answers[rows[i]];
                values[i] = answer.IsBlank ? MissingCategory : answer.AsCategory();
            }
            columns[a] = values;
        }
        return CategoricalMatrix.FromColumns(columns);
    }

    /// <summary>The continuous answers as numbers (numeric text accepted), missing ones at their column's mean (0 when all are missing).</summary>
    private static FeatureMatrix Numbers(List<SurveyColumn> questions, int[] rows, IReadOnlyList<string> rowKeys)
    {
        var x = new FeatureMatrix(rows.Length, questions.Count);
        for (var j = 0; j < questions.Count; j++)
        {
            var answers = questions[j].Answers;
            var sum = 0.0;
            var count = 0;
            for (var i = 0; i < rows.Length; i++)
            {
                var answer = answers[rows[i]];
                double value;
                if (answer.IsBlank)
                {
                    value = double.NaN;
                }
                else if (answer.Kind == AnswerKind.Number)
                {
                    value = answer.Number;
                }
                else if (!double.TryParse(answer.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
                {
                    throw new InvalidInputException(
                        $"question '{questions[j].Name}' is continuous but row '{rowKeys[rows[i]]}' holds text ('{Shorten(answer.Text!)}'), not a number.", "data");
                }
                x[i, j] = value;
                if (!double.IsNaN(value))
                {
                    sum += value;
                    count++;
                }
            }
            var mean = count > 0 ? sum / count : 0.0;
            for (var i = 0; i < rows.Length; i++)
            {
                if (double.IsNaN(x[i, j]))
                {
                    x[i, j] = mean;
                }
            }
        }
        return x;
    }

    /// <summary>scikit-learn's StandardScaler: centre each column and divide by its population standard deviation (constant columns are only centred).</summary>
    private static void Standardise(FeatureMatrix x)
    {
        for (var j = 0; j < x.Columns; j++)
        {
            var mean = 0.0;
            for (var i = 0; i < x.Rows; i++)
            {
                mean += x[i, j];
            }
            mean /= x.Rows;
            var variance = 0.0;
            for (var i = 0; i < x.Rows; i++)
            {
                variance += (x[i, j] - mean) * (x[i, j] - mean);
            }
            var scale = Math.Sqrt(variance / x.Rows);
            if (!(scale > 1e-12 * Math.Max(1, Math.Abs(mean))))
            {
                scale = 1;
            }
            for (var i = 0; i < x.Rows; i++)
            {
                x[i, j] = (x[i, j] - mean) / scale;
            }
        }
    }

    private static string Describe(QuestionType type) => type == QuestionType.GpsLatitude ? "GPS latitude" : "GPS longitude";

    private static string Listing(IReadOnlyList<string> names) =>
        names.Count == 0 ? "none" : string.Join(", ", names.Take(20).Select(n => $"'{Shorten(n)}'")) + (names.Count > 20 ? $" and {names.Count - 20} more" : "");

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
