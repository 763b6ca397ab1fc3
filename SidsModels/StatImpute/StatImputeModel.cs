using SidsModels.Common;
using SidsModels.Data;
using SidsModels.Interpolation;

namespace SidsModels.StatImpute;

/// <summary>An inclusive range of years, <c>[From, To]</c>.</summary>
public readonly record struct YearRange(int From, int To)
{
    public bool Contains(int year) => year >= From && year <= To;
}

/// <summary>
/// One country's series after imputation: the years that have a value (ascending) and their values,
/// the years among them that were missing before, and — when the method could not be applied to this
/// country (all-countries calls only) — why, in which case the values are the observed ones.
/// </summary>
public sealed record ImputedSeries(string Country, int[] Years, double[] Values, int[] MissingYears, string? NotImputed = null);

/// <summary>
/// Functional (statistical) imputation of a SIDS indicator over time, as the Python backend's
/// /statimpute did: one country's yearly series of one indicator is interpolated with pandas'
/// semantics (<see cref="SeriesInterpolation"/>), the years still empty are dropped, and the years
/// filled are reported. Beyond the Python backend: a year range to interpolate within, and every
/// SIDS country of the indicator in one call.
/// </summary>
/// <remarks>
/// <para>Countries: the SIDS countries that have a row for the indicator in the data file, in the
/// file's order (a row whose years are all empty counts: it is listed, and its series comes back empty).</para>
/// <para>Year range: only the dataset's years within [from, to] form the series — they are the x-range
/// of the interpolation, values outside the range are neither used nor returned, and "linear" counts
/// positions within the range.</para>
/// <para>Immutable after construction and safe to share between threads.</para>
/// </remarks>
public sealed class StatImputeModel
{
    private readonly string[]?[] sidsCountries;

    public StatImputeModel(IndicatorTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        Table = table;
        sidsCountries = new string[]?[table.IndicatorCount];
    }

    public IndicatorTable Table { get; }

    /// <summary>The SIDS countries with a row for <paramref name="target"/>, in data-file order; empty for an unknown indicator (as the Python backend answered).</summary>
    public IReadOnlyList<string> Countries(string target)
    {
        var indicator = Table.IndicatorIndexOf(target);
        return indicator < 0 ? [] : SidsCountriesOf(indicator);
    }

    /// <summary>One country's series imputed; unknown target or country, an unfit range, or a method the series cannot take are refused.</summary>
    public ImputedSeries Impute(string target, string country, InterpolationSettings settings, YearRange? years = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (indicator, countryIndex) = Check(target, country);
        var (first, count) = YearWindow(years);
        return Impute(indicator, countryIndex, settings, first, count);
    }

    /// <summary>Refuses an unknown target, or a country that is not a SIDS country with a row for it (the Python backend's message).</summary>
    public (int Indicator, int Country) Check(string target, string country)
    {
        var indicator = CheckTarget(target);
        var countryIndex = Table.CountryIndexOf(country);
        if (countryIndex < 0 || !Table.IsSids(countryIndex) || !Table.HasRow(countryIndex, indicator))
        {
            throw new InvalidInputException(
                $"Invalid country {country}. Please try /statimpute/get_countries endpoint for supported values", "country");
        }
        return (indicator, countryIndex);
    }

    /// <summary>
    /// Every SIDS country of the indicator, in data-file order. A country whose series the method
    /// cannot take (too few observed years) keeps its observed values and says why in
    /// <see cref="ImputedSeries.NotImputed"/>; an order the method refuses outright fails the call.
    /// </summary>
    public IReadOnlyList<ImputedSeries> ImputeAll(string target, InterpolationSettings settings, YearRange? years = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var indicator = CheckTarget(target);
        var (first, count) = YearWindow(years);
        SeriesInterpolation.CheckEnoughObserved(settings, int.MaxValue);
        var result = new List<ImputedSeries>();
        foreach (var country in Table.CountriesWithRow(indicator))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!Table.IsSids(country))
            {
                continue;
            }
            try
            {
                result.Add(Impute(indicator, country, settings, first, count));
            }
            catch (InvalidInputException e)
            {
                result.Add(Observed(indicator, country, first, count) with { NotImputed = e.Message });
            }
        }
        return result;
    }

    private ImputedSeries Impute(int indicator, int country, InterpolationSettings settings, int first, int count)
    {
        Span<double> x = count <= 256 ? stackalloc double[count] : new double[count];
        Span<double> before = count <= 256 ? stackalloc double[count] : new double[count];
        Span<double> after = count <= 256 ? stackalloc double[count] : new double[count];
        for (var i = 0; i < count; i++)
        {
            x[i] = Table.Years[first + i];
            before[i] = Table.Value(country, indicator, first + i);
        }
        SeriesInterpolation.Interpolate(x, before, settings, after);
        int kept = 0, filled = 0;
        for (var i = 0; i < count; i++)
        {
            if (!double.IsNaN(after[i]))
            {
                kept++;
                if (double.IsNaN(before[i]))
                {
                    filled++;
                }
            }
        }
        var years = new int[kept];
        var values = new double[kept];
        var missing = new int[filled];
        for (int i = 0, k = 0, f = 0; i < count; i++)
        {
            if (double.IsNaN(after[i]))
            {
                continue;
            }
            years[k] = Table.Years[first + i];
            values[k++] = after[i];
            if (double.IsNaN(before[i]))
            {
                missing[f++] = Table.Years[first + i];
            }
        }
        return new ImputedSeries(Table.Countries[country], years, values, missing);
    }

    private ImputedSeries Observed(int indicator, int country, int first, int count)
    {
        var years = new List<int>();
        var values = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var value = Table.Value(country, indicator, first + i);
            if (!double.IsNaN(value))
            {
                years.Add(Table.Years[first + i]);
                values.Add(value);
            }
        }
        return new ImputedSeries(Table.Countries[country], [.. years], [.. values], []);
    }

    private int CheckTarget(string target)
    {
        var indicator = Table.IndicatorIndexOf(target);
        if (indicator < 0 || SidsCountriesOf(indicator).Length == 0)
        {
            throw new InvalidInputException(
                $"Invalid target {target}. It must be an indicator code of the dataset with data for SIDS countries (e.g. wdi-EG.ELC.ACCS.ZS)", "target");
        }
        return indicator;
    }

    // The first year index and the number of years of the series: all the dataset's years, or those in the range.
    private (int First, int Count) YearWindow(YearRange? range)
    {
        var years = Table.Years;
        if (range is not { } r)
        {
            return (0, years.Count);
        }
        if (r.From > r.To)
        {
            throw new InvalidInputException($"years must be [from, to] with from <= to; got [{r.From}, {r.To}].", "years");
        }
        var first = -1;
        var count = 0;
        for (var i = 0; i < years.Count; i++)
        {
            if (r.Contains(years[i]))
            {
                first = first < 0 ? i : first;
                count++;
            }
        }
        if (count == 0)
        {
            var span = years.Count == 0 ? "none" : $"{years[0]}–{years[^1]}";
            throw new InvalidInputException($"years [{r.From}, {r.To}] holds none of the dataset's years ({span}).", "years");
        }
        return (first, count);
    }

    private string[] SidsCountriesOf(int indicator)
    {
        var cached = Volatile.Read(ref sidsCountries[indicator]);
        if (cached is not null)
        {
            return cached;
        }
        var list = new List<string>();
        foreach (var country in Table.CountriesWithRow(indicator))
        {
            if (Table.IsSids(country))
            {
                list.Add(Table.Countries[country]);
            }
        }
        cached = [.. list];
        Volatile.Write(ref sidsCountries[indicator], cached);
        return cached;
    }
}
