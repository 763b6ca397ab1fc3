using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using SidsFunctions.Hosting;
using SidsFunctions.Hosting.Requests;
using SidsModels.Interpolation;

namespace SidsFunctions.StatImpute;

/// <summary>
/// POST /statimpute/impute: the Python backend's <c>statRequest</c> (target, country, method, direction, d,
/// with its labels) and two optional fields it did not have: a year range and all countries at once.
/// </summary>
[SidsRequest]
public sealed record ImputeRequest(
    [property: Display(Name = "Indicator whose values will be imputed")]
    string Target,
    [property: Display(Name = "IS0 3 code of the SIDS country to be imputed")]
    string Country,
    [property: Display(Name = "method for timeseries interpolation")]
    InterpolationMethod Method,
    [property: Display(Name = "method for timeseries interpolation in time (forward, backward or both)")]
    LimitDirection Direction,
    [property: Display(Name = "order of the polynomials (1,2 or 3)"),
               Description("From 1 to 5; required for spline and polynomial, ignored by the other methods."),
               ReqEndpoint("/impute"), RequiredIf("method", "spline"), RequiredIf("method", "polynomial")]
    int? D,
    [property: Display(Name = "Years to interpolate within"),
               Description("[from, to]: only the dataset's years in this range are interpolated and returned; values outside it are not used. All years when absent."),
               MaxLength(2)]
    IReadOnlyList<int>? Years = null,
    [property: Display(Name = "All SIDS countries"),
               Description("Impute every SIDS country of the indicator in one call (one index row per country); country is still checked.")]
    bool AllCountries = false) : IHasExample<ImputeRequest>
{
    public const int MinOrder = 1;
    public const int MaxOrder = 5;

    public static ImputeRequest Example { get; } = new("wdi-EG.ELC.ACCS.ZS", "CUB", InterpolationMethod.Linear, LimitDirection.Both, null);
}

/// <summary>GET /statimpute/countries?target=</summary>
[SidsRequest]
public sealed record CountriesQuery([property: Description("Indicator code")] string Target) : IHasExample<CountriesQuery>
{
    public static CountriesQuery Example { get; } = new("wdi-EG.ELC.ACCS.ZS");
}

/// <summary>
/// The answer of /statimpute/impute, as the Python backend gave it: the imputed years (as text,
/// ascending) and the series in pandas' "split" orient. With all_countries, two more fields: each
/// country's imputed years, and the countries the method could not be applied to, with why.
/// </summary>
public sealed record ImputeAnswer(
    IReadOnlyList<string> MissingYears,
    SplitFrame ImputedSeries,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyDictionary<string, IReadOnlyList<string>>? MissingYearsByCountry = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyDictionary<string, string>? NotImputed = null);

/// <summary>
/// pandas' <c>to_dict(orient="split")</c>: one index row [target, country] per series, the years as
/// columns, one data row of values per index row (null where that country has no value for a year).
/// </summary>
public sealed record SplitFrame(IReadOnlyList<string[]> Index, IReadOnlyList<int> Columns, IReadOnlyList<double[]> Data);
