using System.Text.Json;
using SidsFunctions.Hosting;
using SidsFunctions.TimeEstimates;
using SidsModels.Common;
using SidsModels.Data;
using SidsModels.TwoLevelImputation;

namespace SidsFunctions.TwoLevelImputation;

/// <summary>
/// A few small predicts through the Predict function's own code (body binding, validation, the model, the
/// answer's JSON), run before the instance takes requests (<see cref="StartupWarmups"/>). They use a model and
/// an answer cache of their own, so no cache holds their results and no answer depends on them; they record
/// no duration, log no "Time Consumed" line and track no metric.
/// </summary>
public sealed class TwoLevelWarmup(IServiceProvider services) : IStartupWarmup
{
    /// <summary>Runs of the warm-up predict: the first compiles the code, the next run what only repeats reach.</summary>
    public const int Runs = 2;

    public string Name => "The two-level predict";

    public async Task<string?> RunAsync(CancellationToken cancellationToken)
    {
        if (!services.GetRequiredService<ModelSelection>().IsEnabled(ModelSelection.TwoLevelImputation))
        {
            return $"{ModelSelection.TwoLevelImputation} is not served here";
        }
        var catalog = services.GetRequiredService<TwoLevelCatalog>();
        if (Request(catalog) is not { } request)
        {
            return "no target of the dataset has two predictors";
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(request, SidsJson.Options);
        var model = new TwoLevelImputationModel(catalog);
        try
        {
            for (var run = 0; run < Runs; run++)
            {
                await TwoLevelImputationFunction.PredictUnrecordedAsync(services, model, body, cancellationToken);
            }
            return null;
        }
        catch (InvalidInputException e)
        {
            // Data the chosen request does not suit: the warm-up is an optimisation, never a failure.
            return e.Message;
        }
    }

    /// <summary>
    /// A small request on the data at hand: the latest year's first target, two of its predictors, every model
    /// family at 10 trees, so that each learner's code is compiled.
    /// </summary>
    public static TrainRequest? Request(TwoLevelCatalog catalog)
    {
        foreach (var year in TwoLevelCatalog.SupportedYears.Reverse())
        {
            var number = int.Parse(year, System.Globalization.CultureInfo.InvariantCulture);
            if (catalog.Table.YearIndexOf(number) < 0)
            {
                continue;
            }
            var offered = catalog.Year(number);
            if (offered.Targets.FirstOrDefault() is not { } target)
            {
                continue;
            }
            var predictors = offered.Predictors.Where(p => !IndicatorTwins.AreTwins(p.Code, target.Code)).Take(2).Select(p => p.Code).ToArray();
            if (predictors.Length < 2)
            {
                continue;
            }
            return new TrainRequest(predictors, null, year, target.Code, Interpolator.KNNImputer, Scheme.MANUAL, 10, ModelKind.All,
                IntervalKind.Quantile, target.Dataset);
        }
        return null;
    }

    /// <summary>Durations of warm-up runs are not the users': they are not recorded.</summary>
    internal sealed class NoDurations : IDurationRecorder
    {
        public void Record(PredictDuration duration)
        {
        }
    }
}
