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
/// The dataset, loaded once at start-up and shared read-only by every request. When it cannot be loaded
/// the app either stops (<c>DATASET_FAULT_MODE=fail</c>, the default) or keeps serving the models that
/// do not need it while the others answer 503 with the reason (<c>degrade</c>).
/// </summary>
public sealed class DatasetProvider(IDatasetSource source, ModelSelection models, IConfiguration configuration, ILogger<DatasetProvider> logger)
{
    private IndicatorTable? table;

    public IDatasetSource Source { get; } = source;

    /// <summary>Why the dataset is not available (null when it is, or when no model needs it).</summary>
    public string? Failure { get; private set; }

    public bool IsLoaded => table is not null;

    public TimeSpan LoadTime { get; private set; }

    /// <summary>The dataset; a 503 answer for the request when it could not be loaded.</summary>
    public IndicatorTable Table => table ?? throw new InvalidInputException(
        $"The dataset is not available on this deployment: {Failure ?? "no model here needs it"}", kind: InputErrorKind.Unavailable);

    /// <summary>Loads the dataset when an enabled model needs it; called once, before the app serves.</summary>
    public void Load()
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
            logger.LogInformation("Dataset {Version} loaded from {Source} in {Milliseconds:F0} ms: {Countries} countries, {Indicators} indicators, {Years} years",
                table.Version, Source.Description, LoadTime.TotalMilliseconds, table.CountryCount, table.IndicatorCount, table.Years.Count);
        }
        catch (Exception e) when (e is DatasetFormatException or IOException or UnauthorizedAccessException)
        {
            Failure = e.Message;
            if (!string.Equals(configuration[SettingNames.DatasetFaultMode], "degrade", StringComparison.OrdinalIgnoreCase))
            {
                throw new DatasetUnavailableException($"Cannot load the dataset from {Source.Description}: {e.Message}", e);
            }
            logger.LogError("Dataset unavailable ({Failure}); serving the models that do not need it ({Mode}=degrade)",
                Failure, SettingNames.DatasetFaultMode);
        }
    }
}

/// <summary>Start-up stops: the dataset could not be loaded and the fault mode is "fail".</summary>
public sealed class DatasetUnavailableException(string message, Exception inner) : Exception(message, inner);
