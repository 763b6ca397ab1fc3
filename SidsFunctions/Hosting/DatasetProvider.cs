using SidsModels.Common;
using SidsModels.Data;

namespace SidsFunctions.Hosting;

/// <summary>Where the indicator dataset comes from (a local folder, or blob storage).</summary>
public interface IDatasetSource
{
    /// <summary>Where, for logs and the health answer ("folder /home/site/wwwroot/datasets").</summary>
    string Description { get; }

    IndicatorTable Load();

    /// <summary>The file names of the dataset location (GET /datasets, as the Python backend listed its folder).</summary>
    IReadOnlyList<string> ListFiles();
}

/// <summary>A dataset folder on disk: the default, <c>datasets/</c> beside the app.</summary>
public sealed class FolderDatasetSource(string folder) : IDatasetSource
{
    public string Folder { get; } = Path.GetFullPath(folder);

    public string Description => $"folder {Folder}";

    public IndicatorTable Load() => IndicatorTableLoader.LoadFolder(Folder);

    public IReadOnlyList<string> ListFiles() => Directory.Exists(Folder)
        ? Directory.EnumerateFiles(Folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray()
        : [];

    /// <summary><c>DATASET_PATH</c>, or the <c>datasets</c> folder shipped beside the app.</summary>
    public static string DefaultFolder(IConfiguration configuration) =>
        configuration[SettingNames.DatasetPath] is { Length: > 0 } path ? path : Path.Combine(AppContext.BaseDirectory, "datasets");
}

/// <summary>
/// The dataset, loaded once at start-up — in the background, so the process answers at once — and shared
/// read-only by every request (a request that needs it before it is loaded waits). When it cannot be
/// loaded the app either stops with the file and line at fault (<c>DATASET_FAULT_MODE=fail</c>, the
/// default) or keeps serving the models that do not need it while the others answer 503 with the reason
/// (<c>degrade</c>).
/// </summary>
public sealed class DatasetProvider
{
    private readonly ModelSelection models;
    private readonly ILogger<DatasetProvider> logger;
    private readonly Lazy<Task> loading;
    private IndicatorTable? table;

    public DatasetProvider(IDatasetSource source, ModelSelection models, IConfiguration configuration, ILogger<DatasetProvider> logger)
    {
        Source = source;
        this.models = models;
        this.logger = logger;
        FailFast = !string.Equals(configuration[SettingNames.DatasetFaultMode], "degrade", StringComparison.OrdinalIgnoreCase);
        loading = new Lazy<Task>(() => Task.Run(Load));
    }

    public IDatasetSource Source { get; }

    /// <summary>True when a dataset failure must stop the app (the default fault mode).</summary>
    public bool FailFast { get; }

    /// <summary>Why the dataset is not available (null when it is, or while loading, or when no model needs it).</summary>
    public string? Failure { get; private set; }

    public bool IsLoaded => table is not null;

    public TimeSpan LoadTime { get; private set; }

    /// <summary>Completes when loading has ended, loaded or failed.</summary>
    public Task Completion => loading.Value;

    /// <summary>The dataset (waiting for it while it loads); a 503 answer for the request when it could not be loaded.</summary>
    public IndicatorTable Table
    {
        get
        {
            Completion.GetAwaiter().GetResult();
            return table ?? throw new InvalidInputException(
                $"The dataset is not available on this deployment: {Failure ?? "no model here needs it"}", kind: InputErrorKind.Unavailable);
        }
    }

    /// <summary>Starts loading, when an enabled model needs the dataset.</summary>
    public void StartLoading() => _ = loading.Value;

    private void Load()
    {
        if (!models.NeedsDataset)
        {
            logger.LogInformation("No enabled model reads the indicator dataset; not loading it");
            return;
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            table = Source.Load();
            LoadTime = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            // Parsing leaves tens of MB of garbage; give the memory back to the system once, now, rather than
            // keep the heap at its loading peak for the life of the process.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            logger.LogInformation("Dataset {Version} loaded from {Source} in {Milliseconds:F0} ms: {Countries} countries, {Indicators} indicators, {Years} years",
                table.Version, Source.Description, LoadTime.TotalMilliseconds, table.CountryCount, table.IndicatorCount, table.Years.Count);
        }
        catch (Exception e) when (e is DatasetFormatException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Failure = $"cannot load the dataset from {Source.Description}: {e.Message}";
            if (!FailFast)
            {
                logger.LogError("Dataset unavailable ({Failure}); serving the models that do not need it ({Mode}=degrade)",
                    Failure, SettingNames.DatasetFaultMode);
            }
        }
    }
}

/// <summary>
/// Starts the dataset load with the app and, in the "fail" fault mode, stops the app when it fails: the
/// message names the file and line, the exit code is 1.
/// </summary>
public sealed class DatasetStartup(DatasetProvider datasets, IHostApplicationLifetime lifetime, ILogger<DatasetStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        datasets.StartLoading();
        await datasets.Completion.WaitAsync(stoppingToken);
        if (datasets.Failure is { } failure && datasets.FailFast)
        {
            logger.LogCritical("Stopping: {Failure}", failure);
            await Console.Error.WriteLineAsync($"Stopping: {failure}");
            Environment.ExitCode = 1;
            // Stopping before the server has started would abort its start-up with an exception instead.
            var started = new TaskCompletionSource();
            await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(stoppingToken);
            }
            lifetime.StopApplication();
        }
    }
}
