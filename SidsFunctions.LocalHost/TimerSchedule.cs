using System.Text.Json;
using NCrontab;

namespace SidsFunctions.LocalHost;

/// <summary>A timer function's resolved NCRONTAB schedule (six fields, seconds first, as the Functions host).</summary>
internal sealed class TimerSchedule
{
    private readonly CrontabSchedule _schedule;

    private TimerSchedule(string expression, CrontabSchedule schedule)
    {
        Expression = expression;
        _schedule = schedule;
    }

    /// <summary>The expression after %SETTING% resolution.</summary>
    public string Expression { get; }

    /// <summary>
    /// Resolves <c>%SETTING%</c> in the schedule and parses it; the error names the function, the setting
    /// and what a valid schedule looks like.
    /// </summary>
    public static TimerSchedule Resolve(FunctionDescription function, HostSettings settings)
    {
        string written = function.Schedule ?? "";
        if (written.Trim().Length == 0)
            throw new HostStartupException($"Timer function '{function.Name}' has no schedule.");
        string expression = settings.Resolve(written, out string? missing).Trim();
        string origin = written.Contains('%') ? $"'{written}' (app setting {SettingNames(written)})" : $"'{written}'";
        if (missing is not null)
            throw new HostStartupException($"Timer function '{function.Name}': schedule {origin} refers to app setting '{missing}', which is not set (environment or local.settings.json Values).");
        try
        {
            var schedule = CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
            return new TimerSchedule(expression, schedule);
        }
        catch (CrontabException ex)
        {
            throw new HostStartupException(
                $"Timer function '{function.Name}': schedule {origin} resolves to '{expression}', which is not a valid NCRONTAB expression " +
                $"(six fields: second minute hour day month day-of-week, e.g. '0 */5 * * * *'): {FirstLine(ex.Message)}");
        }
    }

    public DateTime Next(DateTime after) => _schedule.GetNextOccurrence(after);

    /// <summary>The trigger input the host sends a timer function (TimerInfo as JSON).</summary>
    public static string TimerInfoJson(DateTime last, DateTime next, bool isPastDue) =>
        JsonSerializer.Serialize(new
        {
            Schedule = new { AdjustForDST = true },
            ScheduleStatus = new { Last = last, Next = next, LastUpdated = last },
            IsPastDue = isPastDue,
        });

    private static string SettingNames(string written) =>
        string.Join(", ", written.Split('%').Where((_, i) => i % 2 == 1));

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
