using System.Text.RegularExpressions;
using SidsFunctions.Hosting;

namespace SidsFunctions.Tests.Deployment;

/// <summary>
/// The setting names a deployment file may use: the app's (<see cref="SettingNames.All"/>) and the
/// Functions platform's own, which the app never reads; and the ones Flex Consumption refuses.
/// </summary>
public static partial class DeploymentSettings
{
    /// <summary>The timer function the issue names; AKS disables it by name in all deployments but one.</summary>
    public const string TimerFunction = "AggregateTimeEstimates";

    /// <summary>Settings of the Functions host and its hosting platform (Flex Consumption, the container image).</summary>
    public static IReadOnlySet<string> Platform { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "FUNCTIONS_WORKER_RUNTIME",
        "AzureWebJobsDisableHomepage",
        "AzureWebJobsScriptRoot",
        "AzureWebJobsStorage__accountName",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "AzureFunctionsJobHost__Logging__Console__IsEnabled",
        "AzureFunctionsWebHost__hostid",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    };

    /// <summary>
    /// App settings of the older plans that Flex Consumption rejects or ignores (functionAppConfig holds
    /// the runtime, the deployment container and the scale limit instead).
    /// </summary>
    public static IReadOnlySet<string> RejectedByFlexConsumption { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "FUNCTIONS_EXTENSION_VERSION",
        "FUNCTIONS_WORKER_RUNTIME",
        "FUNCTIONS_WORKER_RUNTIME_VERSION",
        "FUNCTIONS_MAX_HTTP_CONCURRENCY",
        "FUNCTIONS_WORKER_PROCESS_COUNT",
        "FUNCTIONS_WORKER_DYNAMIC_CONCURRENCY_ENABLED",
        "ENABLE_ORYX_BUILD",
        "SCM_DO_BUILD_DURING_DEPLOYMENT",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
        "WEBSITE_CONTENTOVERVNET",
        "WEBSITE_CONTENTSHARE",
        "WEBSITE_DNS_SERVER",
        "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT",
        "WEBSITE_NODE_DEFAULT_VERSION",
        "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_SKIP_CONTENTSHARE_VALIDATION",
        "WEBSITE_VNET_ROUTE_ALL",
    };

    /// <summary>
    /// App settings a deployment leaves out on purpose, because their defaults suffice. Names rather than
    /// the constants, so that this list outlives a setting's removal from the app.
    /// </summary>
    public static IReadOnlySet<string> LeftToDefaults { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "MAX_REQUEST_BODY_BYTES",
        "MAX_CONCURRENT_COMPUTATIONS",
        "MAX_QUEUED_COMPUTATIONS",
        "RATE_LIMIT_PERMITS",
        "RATE_LIMIT_WINDOW_SECONDS",
        "PREDICTION_CACHE_ENTRIES",
        "LOCAL_STORAGE_PATH",               // storage is configured on Azure; the folder store is for running alone
        "TIME_ESTIMATE_REFRESH_SECONDS",
    };

    /// <summary>The app settings every Azure deployment sets: all the app reads, but those with good defaults and those the Functions host sets itself (FUNCTIONS_*).</summary>
    public static IEnumerable<string> RequiredOfADeployment() =>
        SettingNames.All.Where(n => !LeftToDefaults.Contains(n) && !n.StartsWith("FUNCTIONS_", StringComparison.Ordinal));

    public static bool IsKnown(string name) =>
        SettingNames.All.Contains(name) || Platform.Contains(name) || HostFunctionList().IsMatch(name) || DisabledFunction(name) is not null;

    /// <summary>The function an <c>AzureWebJobs.NAME.Disabled</c> / <c>AzureWebJobs_NAME_Disabled</c> setting disables; null for another name.</summary>
    public static string? DisabledFunction(string name) =>
        DisabledSetting().Match(name) is { Success: true } match ? match.Groups["function"].Value : null;

    // host.json's "functions" list (which functions the host loads), one index per name.
    [GeneratedRegex(@"^AzureFunctionsJobHost__functions__\d+$")]
    private static partial Regex HostFunctionList();

    // The host reads both forms; the second is a valid environment variable name on Linux.
    [GeneratedRegex(@"^AzureWebJobs(?:\.(?<function>\w+)\.|_(?<function>\w+)_)Disabled$")]
    private static partial Regex DisabledSetting();
}
