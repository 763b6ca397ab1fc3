using System.Collections.Concurrent;
using SidsModels.Common;
using SidsModels.Data;

namespace SidsModels.TwoLevelImputation;

/// <summary>
/// What the two-level model offers for a year: which indicators may be targets, which may be predictors,
/// which datasets hold them — the Python backend's rules, computed once per year and kept (the table never
/// changes). Missing shares are over every country in the data, as the Python backend computed them.
/// </summary>
public sealed class TwoLevelCatalog
{
    /// <summary>A target is offered when it is missing in fewer than this share (%) of countries…</summary>
    public const double TargetMaxMissingPercent = 80;

    /// <summary>A predictor is offered (and kept for training) when missing in fewer than this share (%) of countries.</summary>
    public const double PredictorMaxMissingPercent = 30;

    public const int FirstYear = 2000;
    public const int LastYear = 2019;

    private readonly ConcurrentDictionary<int, YearCatalog> years = new();

    public TwoLevelCatalog(IndicatorTable table)
    {
        Table = table;
    }

    public IndicatorTable Table { get; }

    /// <summary>The years the model supports, as the strings the Python backend answered.</summary>
    public static IReadOnlyList<string> SupportedYears { get; } =
        Enumerable.Range(FirstYear, LastYear - FirstYear + 1).Select(y => y.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Countries needed for a target: the share of countries a target may miss, as a count (Python: ceil(n × (1 − 80/100))).</summary>
    public int TargetSampleSize => (int)Math.Ceiling(Table.CountryCount * (1 - TargetMaxMissingPercent / 100));

    public int PredictorSampleSize => (int)Math.Ceiling(Table.CountryCount * (1 - PredictorMaxMissingPercent / 100));

    /// <summary>The year as a number, or the Python backend's error for an unsupported one.</summary>
    public int ParseYear(string targetYear)
    {
        if (!SupportedYears.Contains(targetYear) || Table.YearIndexOf(int.Parse(targetYear, System.Globalization.CultureInfo.InvariantCulture)) < 0)
        {
            throw new InvalidInputException($"Target year does not support. Support from {FirstYear} to {LastYear}", "target_year");
        }
        return int.Parse(targetYear, System.Globalization.CultureInfo.InvariantCulture);
    }

    public YearCatalog Year(int year) => years.GetOrAdd(year, y => new YearCatalog(Table, y));

    /// <summary>The datasets offered for a year, or the Python backend's error naming them.</summary>
    public void CheckDataset(int year, string dataset)
    {
        var offered = Year(year).Datasets;
        if (!offered.Any(d => d.Code == dataset))
        {
            throw new InvalidInputException(
                $"Invalid dataset. Supported types: [{string.Join(", ", offered.Select(d => $"'{d.Code}'"))}]", "dataset");
        }
    }

    /// <summary>
    /// The target check of predict, estimate and the predictor lists: an indicator offered as a target, or one
    /// observed in every country that year (the Python backend refused it; there is nothing to impute, and the
    /// answer lists the SIDS values as observed).
    /// </summary>
    public void CheckTarget(int year, string target)
    {
        if (!Year(year).IsImputable(target))
        {
            throw new InvalidInputException("Invalid target. Please try /twolvlImp/targets endpoint for supported values", "target");
        }
    }

    /// <summary>
    /// MANUAL predictors as the model trains on them, or the error naming <c>manual_predictors</c>: each one
    /// offered for the year (the Python backend's check and words), not the target nor its copy in another
    /// dataset, observed in more than 70% of the countries that report the target; each indicator once (the
    /// same code twice, or <c>key-wdi-X</c> beside <c>wdi-X</c>, which carry the same values: the first given
    /// is kept); and at least one.
    /// </summary>
    public IReadOnlyList<string> ResolvePredictors(int year, string target, IReadOnlyList<string> predictors)
    {
        var catalog = Year(year);
        var invalid = predictors.Where(p => !catalog.IsPredictor(p) || IndicatorTwins.AreTwins(p, target)).Distinct().ToArray();
        if (invalid.Length > 0)
        {
            throw new InvalidInputException(
                $"Invalid predictor/s [{string.Join(", ", invalid.Select(p => $"'{p}'"))}]. Please try /twolvlImp/predictors endpoint for supported values",
                ManualPredictorsField);
        }
        var usable = TrainingData.PredictorsOf(Table, Table.YearIndexOf(year), target).Select(i => Table.Indicators[i]).ToHashSet(StringComparer.Ordinal);
        var unusable = predictors.Where(p => !usable.Contains(p)).Distinct().ToArray();
        if (unusable.Length > 0)
        {
            throw UnusablePredictors(unusable, target, year);
        }
        var distinct = predictors.DistinctBy(IndicatorTwins.BaseCode, StringComparer.Ordinal).ToArray();
        if (distinct.Length == 0)
        {
            throw new InvalidInputException(
                $"{ManualPredictorsField} is empty: scheme MANUAL trains on the predictors listed there, at least one of those /twolvlImp/predictors offers for the target and year (or choose scheme AFS or PCA with {NumberPredictorField}).",
                ManualPredictorsField);
        }
        return distinct;
    }

    /// <summary>The error for manual predictors the model cannot use: too often missing where the target is observed.</summary>
    public static InvalidInputException UnusablePredictors(IEnumerable<string> codes, string target, int year) => new(
        $"Invalid predictor/s [{string.Join(", ", codes.Select(u => $"'{u}'"))}]: missing in {PredictorMaxMissingPercent}% or more of the countries that report {target} in {year}. Please try /twolvlImp/predictors endpoint for supported values",
        ManualPredictorsField);

    private const string ManualPredictorsField = "manual_predictors";
    private const string NumberPredictorField = "number_predictor";
}

/// <summary>The offered targets, predictors and datasets of one year.</summary>
public sealed class YearCatalog
{
    private readonly HashSet<string> targets;
    private readonly HashSet<string> imputable;
    private readonly HashSet<string> predictors;

    internal YearCatalog(IndicatorTable table, int year)
    {
        var yearIndex = table.YearIndexOf(year);
        var values = table.YearValues(yearIndex);
        var countries = table.CountryCount;
        var indicators = table.IndicatorCount;
        var missing = new int[indicators];
        for (var c = 0; c < countries; c++)
        {
            var row = values.Slice(c * indicators, indicators);
            for (var i = 0; i < indicators; i++)
            {
                if (double.IsNaN(row[i]))
                {
                    missing[i]++;
                }
            }
        }
        // Percentages computed as pandas did (count × 100 / rows), compared strictly.
        targets = new HashSet<string>(StringComparer.Ordinal);
        imputable = new HashSet<string>(StringComparer.Ordinal);
        var predictorRanking = new List<(double Percent, string Code)>();
        for (var i = 0; i < indicators; i++)
        {
            var percent = missing[i] * 100.0 / countries;
            if (percent < TwoLevelCatalog.TargetMaxMissingPercent)
            {
                imputable.Add(table.Indicators[i]);
                if (percent > 0)
                {
                    targets.Add(table.Indicators[i]);
                }
            }
            if (percent < TwoLevelCatalog.PredictorMaxMissingPercent)
            {
                predictorRanking.Add((percent, table.Indicators[i]));
            }
        }
        predictors = new HashSet<string>(predictorRanking.Select(p => p.Code), StringComparer.Ordinal);

        // Targets: first metadata row of each offered code, by code (pandas groupby order).
        Targets = table.MetaByCode.Values.Where(m => targets.Contains(m.Code))
            .OrderBy(m => m.Code, StringComparer.Ordinal).ToArray();
        var offered = table.IndicatorMeta.Where(m => targets.Contains(m.Code)).Select(m => m.Dataset).ToHashSet(StringComparer.Ordinal);
        Datasets = table.Datasets.Where(d => offered.Contains(d.Code)).DistinctBy(d => d.Code)
            .OrderBy(d => d.Code, StringComparer.Ordinal).ToArray();
        Predictors = table.IndicatorMeta.Where(m => predictors.Contains(m.Code)).DistinctBy(m => m.Code).ToArray();
    }

    /// <summary>Indicators offered as targets (missing in more than 0% and less than 80% of countries), ordered by code.</summary>
    public IReadOnlyList<IndicatorInfo> Targets { get; }

    /// <summary>Datasets holding an offered target, ordered by code.</summary>
    public IReadOnlyList<DatasetInfo> Datasets { get; }

    /// <summary>Indicators offered as predictors (missing in less than 30% of countries), in metadata order.</summary>
    public IReadOnlyList<IndicatorInfo> Predictors { get; }

    public bool IsTarget(string code) => targets.Contains(code);

    /// <summary>An offered target, or an indicator observed in every country that year (nothing to impute).</summary>
    public bool IsImputable(string code) => imputable.Contains(code);

    public bool IsPredictor(string code) => predictors.Contains(code);
}
