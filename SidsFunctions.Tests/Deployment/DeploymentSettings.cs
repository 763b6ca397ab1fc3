using System.Text.RegularExpressions;
using SidsFunctions.Hosting;

namespace SidsFunctions.Tests.Deployment;

/// <summary>
/// The setting names a deployment file may use: the handler's (<see cref="SettingNames.All"/>) and the
/// Functions platform's own, which the handler never reads.
/// </summary>
public static partial class DeploymentSettings
{
    /// <summary>Settings of the Functions host and its hosting platform (app service, container image).</summary>
    public static IReadOnlySet<string> Platform { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "FUNCTIONS_WORKER_RUNTIME",
        "FUNCTIONS_EXTENSION_VERSION",
        "AzureWebJobsDisableHomepage",
        "AzureWebJobsScriptRoot",
        "AzureWebJobsStorage__accountName",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "AzureFunctionsJobHost__Logging__Console__IsEnabled",
        "AzureFunctionsWebHost__hostid",
        "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID",
    };

    /// <summary>Handler settings a deployment leaves out on purpose: the host sets the port, the rest have defaults that suffice.</summary>
    public static IReadOnlySet<string> LeftToDefaults { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        SettingNames.CustomHandlerPort,
        SettingNames.StorageClientId,
        SettingNames.MaxRequestBodyBytes,
        SettingNames.MaxConcurrentComputations,
        SettingNames.MaxQueuedComputations,
        SettingNames.RateLimitPermits,
        SettingNames.RateLimitWindowSeconds,
        SettingNames.PredictionCacheEntries,
        SettingNames.LocalStoragePath,          // storage is configured on Azure; the folder store is for running alone
        SettingNames.TimeEstimateScheduler,     // "auto": off under the Functions host, which runs the timer itself
        SettingNames.TimeEstimateRefreshSeconds,
    };

    public static bool IsKnown(string name) =>
        SettingNames.All.Contains(name) || Platform.Contains(name) || HostFunctionList().IsMatch(name);

    // host.json's "functions" list (which functions the host loads), one index per name.
    [GeneratedRegex(@"^AzureFunctionsJobHost__functions__\d+$")]
    private static partial Regex HostFunctionList();
}
