using SidsModels.Clustering;
using SidsModels.Common;
using SidsModels.Data;
using SidsModels.Imputation;
using SidsModels.Statistics;

namespace SidsModels.CountryCorrelation;

/// <summary>Which SIDS data to compare: the indicators of one dataset and category, in one year.</summary>
public sealed record IndicatorGroup(string Dataset, string Category, int Year, bool Standardize);

/// <summary>One country's Pearson correlation with another; NaN when undefined (too few shared indicators, no variance).</summary>
public sealed record CountryCorrelationValue(string Country, double Correlation);

/// <summary>A SIDS country and its cluster.</summary>
public sealed record CountryCluster(string Country, int Label);

/// <summary>
/// The country-correlation model: SIDS countries compared over the indicators of a dataset and category in
/// a year (the countries × indicators matrix of the Python backend). Correlation is Pearson's over the
/// indicators both countries report (pairwise-complete, as pandas). Clustering is k-means with EM gap
/// filling: missing cells start at their indicator's mean, then k-means and refilling from the assigned
/// centroids alternate until the labels stop changing. With <c>Standardize</c>, each indicator is z-scored
/// across countries first, so that no indicator dominates by its scale (with raw values the largest-scale
/// indicator decides nearly every correlation).
/// </summary>
public sealed class CountryCorrelationModel(IndicatorTable table)
{
    /// <summary>Seed of the k-means restarts: answers are deterministic.</summary>
    public const int Seed = 7;

    /// <summary>Most EM rounds of the gap-filling k-means (the Python backend allowed 200).</summary>
    public const int MaxRounds = 200;

    /// <summary>
    /// The correlation of <paramref name="country"/> with every other SIDS country, highest first, undefined last (by
    /// code); when none is defined, in the Python backend's order (<see cref="PandasTieOrder"/>).
    /// </summary>
    public IReadOnlyList<CountryCorrelationValue> Correlate(IndicatorGroup group, string country)
    {
        var (countries, matrix) = Matrix(group);
        var self = Array.IndexOf(countries, country);
        if (self < 0)
        {
            throw new InvalidInputException(
                $"Invalid country {country}: no SIDS values for {group.Dataset} / {group.Category} in {group.Year}. Countries with values: [{string.Join(", ", countries.Select(c => $"'{c}'"))}]",
                "country");
        }
        var mine = matrix.Row(self);
        var result = new List<CountryCorrelationValue>(countries.Length - 1);
        for (var c = 0; c < countries.Length; c++)
        {
            if (c != self)
            {
                result.Add(new CountryCorrelationValue(countries[c], Correlation.Pearson(mine, matrix.Row(c))));
            }
        }
        if (result.TrueForAll(r => double.IsNaN(r.Correlation)))
        {
            // Nothing defined (the country reports none of the group's indicators the others do): the Python backend
            // filled every value with "" and sorted those equal strings; its order is the only one to give.
            return PandasTieOrder.Descending(result.Count).Select(i => result[i]).ToArray();
        }
        // Highest first; undefined last; ties by code, so equal inputs give equal answers.
        return result
            .OrderBy(r => double.IsNaN(r.Correlation) ? 1 : 0)
            .ThenByDescending(r => double.IsNaN(r.Correlation) ? 0 : r.Correlation)
            .ThenBy(r => r.Country, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>k-means clusters (k at most the number of countries), labels numbered in order of first appearance.</summary>
    public IReadOnlyList<CountryCluster> Cluster(IndicatorGroup group, int clusters, CancellationToken cancellationToken = default)
    {
        var (countries, matrix) = Matrix(group);
        var k = Math.Min(clusters, countries.Length);
        // Every column has a value (Matrix keeps only indicators some country reports): the mean fills each gap.
        var filled = MeanImputer.Fit(matrix).Transform(matrix);
        var missing = new List<(int Row, int Column)>();
        for (var r = 0; r < matrix.Rows; r++)
        {
            for (var c = 0; c < matrix.Columns; c++)
            {
                if (double.IsNaN(matrix[r, c]))
                {
                    missing.Add((r, c));
                }
            }
        }
        int[]? labels = null;
        FeatureMatrix? centroids = null;
        for (var round = 0; round < MaxRounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var options = new KMeansOptions(k) { Seed = Seed, InitialCentroids = centroids };
            var model = new KMeansLearner(options).Learn(filled, cancellationToken);
            var next = model.CopyLabels();
            foreach (var (row, column) in missing)
            {
                filled[row, column] = model.Centroid(next[row])[column];
            }
            if (labels is not null && next.AsSpan().SequenceEqual(labels))
            {
                break;
            }
            labels = next;
            centroids = model.CopyCentroids();
        }
        return countries.Zip(Renumber(labels!), (c, l) => new CountryCluster(c, l)).ToArray();
    }

    /// <summary>The SIDS countries (code order) with a value among the group's indicators, × those indicators.</summary>
    private (string[] Countries, FeatureMatrix Matrix) Matrix(IndicatorGroup group)
    {
        var yearIndex = table.YearIndexOf(group.Year);
        if (yearIndex < 0)
        {
            throw new InvalidInputException(
                $"Invalid year {group.Year}. Supported years: {table.Years[0]} to {table.Years[^1]}", "year");
        }
        var datasets = table.IndicatorMeta.Select(m => m.Dataset).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (!datasets.Contains(group.Dataset))
        {
            throw new InvalidInputException($"Invalid dataset {group.Dataset}. Supported datasets: {Listing(datasets)}", "dataset");
        }
        var categories = table.IndicatorMeta.Where(m => m.Dataset == group.Dataset).Select(m => m.Category).Distinct()
            .Order(StringComparer.Ordinal).ToArray();
        if (!categories.Contains(group.Category))
        {
            throw new InvalidInputException(
                $"Invalid category {group.Category} for dataset {group.Dataset}. Supported categories: {Listing(categories)}", "category");
        }
        var indicators = table.IndicatorMeta.Where(m => m.Dataset == group.Dataset && m.Category == group.Category)
            .Select(m => table.IndicatorIndexOf(m.Code)).Distinct().Order().ToArray();

        // Indicators with a value for some SIDS country, and SIDS countries with a value for some indicator (pandas' stack drops the rest).
        var countryRows = Enumerable.Range(0, table.CountryCount).Where(table.IsSids)
            .Where(c => indicators.Any(i => !double.IsNaN(table.Value(c, i, yearIndex)))).ToArray();
        var columns = indicators.Where(i => countryRows.Any(c => !double.IsNaN(table.Value(c, i, yearIndex)))).ToArray();
        var matrix = new FeatureMatrix(countryRows.Length, columns.Length);
        for (var r = 0; r < countryRows.Length; r++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                matrix[r, c] = table.Value(countryRows[r], columns[c], yearIndex);
            }
        }
        if (countryRows.Length == 0)
        {
            throw new InvalidInputException($"No SIDS values for {group.Dataset} / {group.Category} in {group.Year}.", "year");
        }
        return (countryRows.Select(c => table.Countries[c]).ToArray(), group.Standardize ? StandardScaler.Fit(matrix).Transform(matrix) : matrix);
    }

    // Cluster numbers are arbitrary: number them by the first country in each, so equal partitions read the same.
    private static int[] Renumber(int[] labels)
    {
        var map = new Dictionary<int, int>();
        return labels.Select(l => map.TryGetValue(l, out var n) ? n : map[l] = map.Count).ToArray();
    }

    private static string Listing(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(v => $"'{v}'")) + "]";

}
