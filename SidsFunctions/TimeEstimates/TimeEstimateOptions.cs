using System.Globalization;
using NCrontab;
using SidsFunctions.Hosting;
using SidsFunctions.Storage;

namespace SidsFunctions.TimeEstimates;

/// <summary>
/// Where durations and the estimate document live and how often they are read, from the settings
/// (defaults in brackets): DATASETS_CONTAINER [datasets] holds <c>time_consumption</c>; DURATIONS_CONTAINER
/// [telemetry] and DURATIONS_PREFIX [durations/] the per-day logs; TIME_ESTIMATE_DAYS [3] of them make
/// the estimate; TIME_ESTIMATE_SCHEDULE [0 0 * * * *] (NCRONTAB with seconds, UTC): the timer's
/// schedule, which the Functions host reads, checked here so that an invalid one stops start-up;
/// TIME_ESTIMATE_REFRESH_SECONDS [60]: how often, at most, an instance checks the document for changes.
/// </summary>
public sealed record TimeEstimateOptions
{
    public const string DocumentName = "time_consumption";
    public const string DefaultDurationsContainer = "telemetry";
    public const string DefaultDurationsPrefix = "durations/";
    public const int DefaultDays = 3;
    public const int MaxDays = 90;
    public const string DefaultSchedule = "0 0 * * * *";

    public string DatasetsContainer { get; init; } = StorageSettings.DefaultDatasetsContainer;

    public string DurationsContainer { get; init; } = DefaultDurationsContainer;

    /// <summary>Prefix of the day logs: empty, or ending with '/'.</summary>
    public string DurationsPrefix { get; init; } = DefaultDurationsPrefix;

    public int Days { get; init; } = DefaultDays;

    public CrontabSchedule Schedule { get; init; } = ParseSchedule(DefaultSchedule);

    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Records the duration log buffers at most while storage is slow or down (the oldest go first beyond).</summary>
    public int BufferCapacity { get; init; } = 10_000;

    /// <summary>
    /// How long a record waits for others to share its append (a flush or shutdown writes at once): one storage
    /// write per window rather than per predict under load, and a new instance's first write lands after the
    /// requests that follow its first predict instead of beside them.
    /// </summary>
    public TimeSpan WriteWindow { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Largest appended block: whole lines, under the service's limit.</summary>
    public int MaxBlockBytes { get; init; } = 1 << 20;

    /// <summary>First and longest wait before writing again after a failure (doubling in between).</summary>
    public TimeSpan MinRetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the timer waits for this instance's pending durations before aggregating anyway.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The blob of the durations of a UTC day (part 0), or of a later part once a blob is full.</summary>
    public string DurationsBlob(DateOnly day, int part = 0) =>
        DurationsPrefix + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + (part == 0 ? "" : "-" + part.ToString(CultureInfo.InvariantCulture)) + ".jsonl";

    /// <summary>The day a duration log blob holds (null for other blobs under the prefix).</summary>
    public DateOnly? DayOfBlob(string name)
    {
        if (!name.StartsWith(DurationsPrefix, StringComparison.Ordinal) || !name.EndsWith(".jsonl", StringComparison.Ordinal))
        {
            return null;
        }
        var rest = name[DurationsPrefix.Length..^".jsonl".Length];
        return rest.Length >= 10
               && DateOnly.TryParseExact(rest[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
               && (rest.Length == 10 || (rest[10] == '-' && int.TryParse(rest[11..], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            ? day
            : null;
    }

    public static TimeEstimateOptions FromConfiguration(IConfiguration configuration)
    {
        var prefix = (configuration[SettingNames.DurationsPrefix] ?? DefaultDurationsPrefix).Trim().TrimStart('/');
        if (prefix.Length > 0 && !prefix.EndsWith('/'))
        {
            prefix += "/";
        }
        var daysText = configuration[SettingNames.TimeEstimateDays];
        var days = DefaultDays;
        if (!string.IsNullOrWhiteSpace(daysText)
            && (!int.TryParse(daysText, NumberStyles.None, CultureInfo.InvariantCulture, out days) || days is < 1 or > MaxDays))
        {
            throw new InvalidOperationException($"{SettingNames.TimeEstimateDays} is '{daysText}': a whole number of days from 1 to {MaxDays}.");
        }
        var scheduleText = configuration[SettingNames.TimeEstimateSchedule] is { } s && !string.IsNullOrWhiteSpace(s) ? s.Trim() : DefaultSchedule;
        var schedule = ParseSchedule(scheduleText);
        var refreshText = configuration[SettingNames.TimeEstimateRefreshSeconds];
        var refresh = 60.0;
        if (!string.IsNullOrWhiteSpace(refreshText)
            && (!double.TryParse(refreshText, NumberStyles.Float, CultureInfo.InvariantCulture, out refresh) || !(refresh >= 0) || refresh > 86_400))
        {
            throw new InvalidOperationException($"{SettingNames.TimeEstimateRefreshSeconds} is '{refreshText}': seconds from 0 to 86400.");
        }
        return new TimeEstimateOptions
        {
            DatasetsContainer = StorageSettings.ContainerName(configuration, SettingNames.DatasetsContainer, StorageSettings.DefaultDatasetsContainer),
            DurationsContainer = StorageSettings.ContainerName(configuration, SettingNames.DurationsContainer, DefaultDurationsContainer),
            DurationsPrefix = prefix,
            Days = days,
            Schedule = schedule,
            RefreshInterval = TimeSpan.FromSeconds(refresh),
        };
    }

    /// <summary>
    /// An NCRONTAB expression with seconds, as the Functions host's timers read it (NCrontab, the host's own
    /// parser: "second minute hour day month day-of-week"); one that never occurs is refused too. The message
    /// names the setting, so an invalid schedule stops start-up saying what to fix.
    /// </summary>
    public static CrontabSchedule ParseSchedule(string expression)
    {
        var schedule = CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        if (schedule is null)
        {
            throw new InvalidOperationException(
                $"{SettingNames.TimeEstimateSchedule} is '{expression}': not an NCRONTAB schedule of six fields, second minute hour day month day-of-week (e.g. '0 0 * * * *', hourly).");
        }
        var now = DateTime.UtcNow;
        if (schedule.GetNextOccurrence(now, now.AddYears(5)) >= now.AddYears(5))
        {
            throw new InvalidOperationException($"{SettingNames.TimeEstimateSchedule} is '{expression}': it never occurs.");
        }
        return schedule;
    }
}
