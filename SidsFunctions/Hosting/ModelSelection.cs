using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace SidsFunctions.Hosting;

/// <summary>
/// The models a deployment serves. All by default; <c>MODEL_SERVICE</c> (one name or a comma-separated
/// list) limits it, as the Python backend's per-model Kubernetes services did.
/// </summary>
public sealed class ModelSelection
{
    public const string TwoLevelImputation = "twolvlImp";
    public const string CountryCorrelation = "CountryCorrelation";
    public const string StatImpute = "Statimpute";
    public const string SurveyCluster = "SurveyCluster";

    public static IReadOnlyList<string> All { get; } = [TwoLevelImputation, CountryCorrelation, StatImpute, SurveyCluster];

    /// <summary>The models that read the indicator dataset.</summary>
    public static IReadOnlyList<string> NeedingDataset { get; } = [TwoLevelImputation, CountryCorrelation, StatImpute];

    private readonly HashSet<string> enabled;

    public ModelSelection(IEnumerable<string> enabled)
    {
        this.enabled = new HashSet<string>(enabled, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<string> Enabled => All.Where(enabled.Contains).ToArray();

    public bool IsEnabled(string model) => enabled.Contains(model);

    public bool NeedsDataset => NeedingDataset.Any(enabled.Contains);

    public static ModelSelection FromConfiguration(IConfiguration configuration)
    {
        var setting = configuration[SettingNames.ModelService];
        if (string.IsNullOrWhiteSpace(setting))
        {
            return new ModelSelection(All);
        }
        var names = setting.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => !All.Contains(n, StringComparer.OrdinalIgnoreCase)).ToArray();
        if (unknown.Length > 0)
        {
            throw new InvalidOperationException(
                $"{SettingNames.ModelService} names unknown model(s) {string.Join(", ", unknown)}; known: {string.Join(", ", All)}.");
        }
        return new ModelSelection(names);
    }
}

/// <summary>
/// <c>MODEL_SERVICE</c> at run time: a function of a model this deployment does not serve answers 404, as a
/// path the app does not have (every function is deployed; the Functions host routes to all of them).
/// </summary>
public sealed class ModelSelectionMiddleware(FunctionCatalog catalog, ModelSelection models) : IFunctionsWorkerMiddleware
{
    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (catalog.ByName.TryGetValue(context.FunctionDefinition.Name, out var function) && function.Group.Model is { } model && !models.IsEnabled(model))
        {
            context.GetInvocationResult().Value =
                Answer.Error(StatusCodes.Status404NotFound, new Errors.MessageErrorBody("Not Found"));
            return Task.CompletedTask;
        }
        return next(context);
    }
}
