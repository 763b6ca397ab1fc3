using System.Globalization;
using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SidsFunctions.Hosting;
using SidsFunctions.Hosting.Errors;
using SidsModels.Interpolation;
using SidsModels.StatImpute;

namespace SidsFunctions.StatImpute;

public static class StatImputeRegistration
{
    public static IServiceCollection AddStatImpute(this IServiceCollection services) =>
        services.AddSingleton(sp => new StatImputeModel(sp.GetRequiredService<DatasetProvider>().Table));
}

/// <summary>
/// The StatImpute functions (/statimpute/*): fills a SIDS country's yearly series of an indicator by
/// time-series interpolation with pandas' semantics, as the Python backend's Statimpute model did,
/// with the same paths, fields, answers and error messages; also over a year range and for every
/// SIDS country at once.
/// </summary>
[FunctionGroup("Functional Imputation", Model = ModelSelection.StatImpute, Prefix = Prefix)]
public sealed class StatImputeFunction(IServiceProvider services)
{
    public const string Prefix = "/" + Route;
    private const string Route = "statimpute";

    [Function("StatImputeCountries")]
    [Description("The SIDS countries with a row for the indicator, in the data file's order (empty for an unknown indicator).")]
    [Binds(typeof(CountriesQuery), RequestSource.Query)]
    [Answers(typeof(IReadOnlyList<string>), Example = nameof(CountriesExample))]
    public IActionResult StatImputeCountries([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route + "/countries")] HttpRequest req) =>
        Answer.Ok(Countries(req.HttpContext, services.GetRequiredService<StatImputeModel>()));

    [Function("StatImpute")]
    [Description("Interpolates a country's series of an indicator over the years (pandas' interpolate); years still empty are left out.")]
    [Binds(typeof(ImputeRequest), RequestSource.Body)]
    [AlsoAnswers(StatusCodes.Status422UnprocessableEntity, typeof(DomainErrorBody))]
    [Answers(typeof(ImputeAnswer), Example = nameof(ImputeExample))]
    [MainEndpoint("Functional Imputation")]
    public async Task<IActionResult> StatImpute([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route + "/impute")] HttpRequest req) =>
        Answer.Ok(await Impute(req.HttpContext, services.GetRequiredService<StatImputeModel>()));

    private static IReadOnlyList<string> CountriesExample { get; } = ["ABW", "ATG", "BHR", "BHS", "BLZ"];

    private static ImputeAnswer ImputeExample { get; } = new(["2003", "2004"],
        new SplitFrame(new[] { new[] { "wdi-EG.ELC.ACCS.ZS", "CUB" } }, [2001, 2002, 2003, 2004, 2005],
            new[] { new[] { 95.9, 96.2, 96.5, 96.9, 97.2 } }));

    private static IReadOnlyList<string> Countries(HttpContext http, StatImputeModel model) =>
        model.Countries(http.ReadQuery<CountriesQuery>().Target);

    private static async Task<ImputeAnswer> Impute(HttpContext http, StatImputeModel model)
    {
        var request = await http.ReadBodyAsync<ImputeRequest>();
        var settings = Settings(request);
        var range = Range(request.Years);
        if (!request.AllCountries)
        {
            var series = model.Impute(request.Target, request.Country, settings, range);
            return new ImputeAnswer(YearTexts(series.MissingYears), new SplitFrame(
                [[request.Target, series.Country]], series.Years, [series.Values]));
        }
        // The named country must be valid, as for one country; the answer covers every SIDS country.
        model.Check(request.Target, request.Country);
        return AllCountries(request.Target, model.ImputeAll(request.Target, settings, range, http.RequestAborted));
    }

    private static InterpolationSettings Settings(ImputeRequest request)
    {
        if (InterpolationSettings.NeedsOrder(request.Method) && request.D is { } d && d is < ImputeRequest.MinOrder or > ImputeRequest.MaxOrder)
        {
            throw new RequestValidationException([d < ImputeRequest.MinOrder
                ? new FieldError(["body", "d"], $"ensure this value is greater than or equal to {ImputeRequest.MinOrder}", "value_error.number.not_ge")
                : new FieldError(["body", "d"], $"ensure this value is less than or equal to {ImputeRequest.MaxOrder}", "value_error.number.not_le")]);
        }
        return new InterpolationSettings(request.Method, request.Direction, request.D);
    }

    private static YearRange? Range(IReadOnlyList<int>? years)
    {
        if (years is null)
        {
            return null;
        }
        if (years.Count != 2)
        {
            throw new RequestValidationException([new FieldError(["body", "years"], "years must hold two years: [from, to]", "value_error.list.size")]);
        }
        return new YearRange(years[0], years[1]);
    }

    // Countries' year sets differ: the columns are every year some country has a value for (ascending),
    // and a row holds null where its country has none — as pandas gives a multi-row frame.
    private static ImputeAnswer AllCountries(string target, IReadOnlyList<ImputedSeries> all)
    {
        var columns = new SortedSet<int>();
        var missing = new SortedSet<int>();
        foreach (var series in all)
        {
            columns.UnionWith(series.Years);
            missing.UnionWith(series.MissingYears);
        }
        var years = columns.ToArray();
        var index = new List<string[]>(all.Count);
        var data = new List<double[]>(all.Count);
        var byCountry = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var notImputed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var series in all)
        {
            var row = new double[years.Length];
            Array.Fill(row, double.NaN);
            for (var i = 0; i < series.Years.Length; i++)
            {
                row[Array.BinarySearch(years, series.Years[i])] = series.Values[i];
            }
            index.Add([target, series.Country]);
            data.Add(row);
            byCountry[series.Country] = YearTexts(series.MissingYears);
            if (series.NotImputed is { } reason)
            {
                notImputed[series.Country] = reason;
            }
        }
        return new ImputeAnswer(YearTexts(missing), new SplitFrame(index, years, data), byCountry, notImputed);
    }

    private static string[] YearTexts(IEnumerable<int> years) => years.Select(y => y.ToString(CultureInfo.InvariantCulture)).ToArray();
}
