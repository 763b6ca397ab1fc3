namespace SidsModels.Data;

/// <summary>
/// The platform's data in memory: a country × indicator × year cube of values (NaN = missing), with the
/// cleaned indicator and dataset metadata. Built once by <see cref="IndicatorTableLoader"/> and then only
/// read, so one instance serves every request on every thread.
/// </summary>
/// <remarks>
/// Countries and indicators are in ordinal order of their codes, as pandas orders them when it pivots
/// the long table; the values of one year are one contiguous country-major block, so a year's
/// country × indicator matrix is a span, not a copy.
/// </remarks>
public sealed class IndicatorTable
{
    private readonly double[] values; // [year][country][indicator]
    private readonly Dictionary<string, int> countryIndex;
    private readonly Dictionary<string, int> indicatorIndex;
    private readonly int[][] countriesWithRow; // per indicator: countries that have a row, in file order
    private readonly bool[] hasRow; // [country][indicator]
    private readonly bool[] isSids;

    internal IndicatorTable(
        string[] countries,
        string[] indicators,
        int[] years,
        double[] values,
        int[][] countriesWithRow,
        bool[] hasRow,
        IReadOnlyList<IndicatorInfo> indicatorMeta,
        IReadOnlyList<DatasetInfo> datasets,
        string version)
    {
        Countries = countries;
        Indicators = indicators;
        Years = years;
        this.values = values;
        this.countriesWithRow = countriesWithRow;
        this.hasRow = hasRow;
        IndicatorMeta = indicatorMeta;
        Datasets = datasets;
        Version = version;
        countryIndex = Index(countries);
        indicatorIndex = Index(indicators);
        isSids = countries.Select(SidsCountries.Contains).ToArray();
        MetaByCode = indicatorMeta
            .GroupBy(m => m.Code, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>Every country code with at least one row, ordinal order.</summary>
    public IReadOnlyList<string> Countries { get; }

    /// <summary>Every indicator code with at least one row, ordinal order.</summary>
    public IReadOnlyList<string> Indicators { get; }

    /// <summary>The year columns of the data file, ascending.</summary>
    public IReadOnlyList<int> Years { get; }

    /// <summary>indicatorMeta rows whose indicator has data and a name, in file order.</summary>
    public IReadOnlyList<IndicatorInfo> IndicatorMeta { get; }

    /// <summary>The first metadata row of each indicator code.</summary>
    public IReadOnlyDictionary<string, IndicatorInfo> MetaByCode { get; }

    /// <summary>datasetMeta rows referenced by the metadata and named, in file order.</summary>
    public IReadOnlyList<DatasetInfo> Datasets { get; }

    /// <summary>A digest of the three files' bytes: equal versions hold equal data (cache keys, ETags).</summary>
    public string Version { get; }

    public int CountryCount => Countries.Count;

    public int IndicatorCount => Indicators.Count;

    public int CountryIndexOf(string code) => countryIndex.GetValueOrDefault(code, -1);

    public int IndicatorIndexOf(string code) => indicatorIndex.GetValueOrDefault(code, -1);

    /// <summary>The position of <paramref name="year"/> among <see cref="Years"/>, or -1.</summary>
    public int YearIndexOf(int year)
    {
        for (var i = 0; i < Years.Count; i++)
        {
            if (Years[i] == year)
            {
                return i;
            }
        }
        return -1;
    }

    public bool IsSids(int country) => isSids[country];

    /// <summary>The country × indicator values of one year, row-major (countries are rows).</summary>
    public ReadOnlySpan<double> YearValues(int yearIndex) =>
        values.AsSpan(yearIndex * CountryCount * IndicatorCount, CountryCount * IndicatorCount);

    public double Value(int country, int indicator, int yearIndex) =>
        values[(yearIndex * CountryCount + country) * IndicatorCount + indicator];

    /// <summary>One country's values of one indicator across <see cref="Years"/> (a copy).</summary>
    public double[] Series(int country, int indicator)
    {
        var result = new double[Years.Count];
        for (var y = 0; y < result.Length; y++)
        {
            result[y] = Value(country, indicator, y);
        }
        return result;
    }

    /// <summary>True when the data file has a row for this country and indicator (even if every year is empty).</summary>
    public bool HasRow(int country, int indicator) => hasRow[country * IndicatorCount + indicator];

    /// <summary>The countries with a row for the indicator, in the data file's order.</summary>
    public IReadOnlyList<int> CountriesWithRow(int indicator) => countriesWithRow[indicator];

    private static Dictionary<string, int> Index(string[] codes)
    {
        var result = new Dictionary<string, int>(codes.Length, StringComparer.Ordinal);
        for (var i = 0; i < codes.Length; i++)
        {
            result[codes[i]] = i;
        }
        return result;
    }
}
