namespace SidsFunctions.Hosting;

/// <summary>
/// Every setting the app reads, in one place: local.settings.json, the Bicep app settings and the
/// Kubernetes manifests use these names (a test holds them to this list).
/// </summary>
public static class SettingNames
{
    /// <summary>
    /// Where indicatorMeta.csv, datasetMeta.csv and indicatorData.csv are: a folder, <c>blob://CONTAINER/PREFIX</c>
    /// in the app's storage, or a blob URL (<c>https://ACCOUNT.blob.core.windows.net/CONTAINER/PREFIX</c>).
    /// </summary>
    public const string DatasetPath = "DATASET_PATH";

    /// <summary>Limits a deployment to one model (twolvlImp, CountryCorrelation, Statimpute, SurveyCluster), as the Python backend did.</summary>
    public const string ModelService = "MODEL_SERVICE";

    /// <summary>What a missing or corrupt dataset does: "fail" stops start-up (default), "degrade" answers 503 for the models that need it.</summary>
    public const string DatasetFaultMode = "DATASET_FAULT_MODE";

    /// <summary>Comma-separated CORS origins allowed to call the API.</summary>
    public const string CorsOrigins = "CORS_ORIGINS";

    /// <summary>Storage connection string (account key, SAS, or UseDevelopmentStorage=true).</summary>
    public const string Storage = "AzureWebJobsStorage";

    /// <summary>Blob service URL for managed-identity access, used when no connection string is set.</summary>
    public const string StorageAccountUrl = "STORAGE_ACCOUNT_URL";

    /// <summary>Client id of a user-assigned managed identity (empty: system-assigned or developer credentials).</summary>
    public const string StorageClientId = "AZURE_CLIENT_ID";

    /// <summary>Folder standing in for blob storage when neither AzureWebJobsStorage nor STORAGE_ACCOUNT_URL is set (default: storage/ beside the app).</summary>
    public const string LocalStoragePath = "LOCAL_STORAGE_PATH";

    /// <summary>Blob container holding the datasets and the time_consumption document.</summary>
    public const string DatasetsContainer = "DATASETS_CONTAINER";

    /// <summary>Blob container and prefix of the per-day duration logs.</summary>
    public const string DurationsContainer = "DURATIONS_CONTAINER";

    public const string DurationsPrefix = "DURATIONS_PREFIX";

    /// <summary>NCRONTAB schedule of the AggregateTimeEstimates timer (the host resolves it in <c>[TimerTrigger("%TIME_ESTIMATE_SCHEDULE%")]</c>).</summary>
    public const string TimeEstimateSchedule = "TIME_ESTIMATE_SCHEDULE";

    /// <summary>How many past days of durations the timer aggregates.</summary>
    public const string TimeEstimateDays = "TIME_ESTIMATE_DAYS";

    /// <summary>How often, at most, an instance checks the time_consumption document for changes (seconds, default 60).</summary>
    public const string TimeEstimateRefreshSeconds = "TIME_ESTIMATE_REFRESH_SECONDS";

    /// <summary>Application Insights connection string; when empty, telemetry goes to the console log only.</summary>
    public const string ApplicationInsights = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Largest accepted request body in bytes (default 10 MB).</summary>
    public const string MaxRequestBodyBytes = "MAX_REQUEST_BODY_BYTES";

    /// <summary>How many heavy computations run at once, and how many may wait for a turn.</summary>
    public const string MaxConcurrentComputations = "MAX_CONCURRENT_COMPUTATIONS";

    public const string MaxQueuedComputations = "MAX_QUEUED_COMPUTATIONS";

    /// <summary>Requests each client may make per window (0 disables), and the window in seconds.</summary>
    public const string RateLimitPermits = "RATE_LIMIT_PERMITS";

    public const string RateLimitWindowSeconds = "RATE_LIMIT_WINDOW_SECONDS";

    /// <summary>Entries kept in the cache of answered predictions (0 disables).</summary>
    public const string PredictionCacheEntries = "PREDICTION_CACHE_ENTRIES";

    /// <summary>All names above, for the tests that hold deployment files to this list.</summary>
    public static IReadOnlyList<string> All { get; } = typeof(SettingNames)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();
}
