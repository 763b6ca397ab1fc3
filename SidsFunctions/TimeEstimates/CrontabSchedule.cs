using System.Globalization;

namespace SidsFunctions.TimeEstimates;

/// <summary>
/// An NCRONTAB schedule as Azure Functions timers read it: six fields, "second minute hour day month
/// day-of-week" (e.g. <c>0 0 * * * *</c>, hourly on the hour; <c>0 */5 * * * *</c>, every five minutes).
/// Each field takes <c>*</c>, a value, a range <c>a-b</c>, a step <c>*/n</c>, <c>a-b/n</c> or <c>a/n</c>,
/// and comma-separated lists of these; months also as Jan–Dec, days of the week as Sun–Sat (0–6, 7 is
/// Sunday too). As in NCrontab, a time matches when every field matches (day of month and day of week
/// both restrict). Times are UTC.
/// </summary>
public sealed class CrontabSchedule
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    // Bit i set: value i matches.
    private readonly ulong seconds;
    private readonly ulong minutes;
    private readonly ulong hours;
    private readonly ulong days;
    private readonly ulong months;
    private readonly ulong daysOfWeek;

    private CrontabSchedule(string expression, ulong seconds, ulong minutes, ulong hours, ulong days, ulong months, ulong daysOfWeek)
    {
        Expression = expression;
        this.seconds = seconds;
        this.minutes = minutes;
        this.hours = hours;
        this.days = days;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
    }

    public string Expression { get; }

    public override string ToString() => Expression;

    /// <summary>Parses six fields; a <see cref="FormatException"/> names the field at fault and what it allows.</summary>
    public static CrontabSchedule Parse(string expression)
    {
        var fields = expression.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6)
        {
            throw new FormatException(
                $"'{expression}' has {fields.Length} fields; an NCRONTAB schedule has six: second minute hour day month day-of-week (e.g. '0 0 * * * *').");
        }
        var daysOfWeek = ParseField(fields[5], "day-of-week", 0, 7, DayNames);
        if ((daysOfWeek & (1UL << 7)) != 0)
        {
            daysOfWeek = (daysOfWeek | 1UL) & ~(1UL << 7);
        }
        var schedule = new CrontabSchedule(string.Join(' ', fields),
            ParseField(fields[0], "second", 0, 59, null),
            ParseField(fields[1], "minute", 0, 59, null),
            ParseField(fields[2], "hour", 0, 23, null),
            ParseField(fields[3], "day", 1, 31, null),
            ParseField(fields[4], "month", 1, 12, MonthNames),
            daysOfWeek);
        if (schedule.NextAfter(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)) is null)
        {
            throw new FormatException($"'{expression}' never occurs (no such day in any month).");
        }
        return schedule;
    }

    private static ulong ParseField(string field, string name, int min, int max, string[]? names)
    {
        ulong bits = 0;
        foreach (var item in field.Split(','))
        {
            var (range, stepText) = item.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? (item[..slash], item[(slash + 1)..]) : (item, null);
            var step = 1;
            if (stepText is not null && (!int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1))
            {
                throw Bad(field, name, min, max, names);
            }
            int from, to;
            if (range == "*")
            {
                (from, to) = (min, max);
            }
            else if (range.IndexOf('-', StringComparison.Ordinal) is var dash and > 0)
            {
                from = Value(range[..dash], field, name, min, max, names);
                to = Value(range[(dash + 1)..], field, name, min, max, names);
                if (to < from)
                {
                    throw Bad(field, name, min, max, names);
                }
            }
            else
            {
                from = Value(range, field, name, min, max, names);
                to = stepText is null ? from : max;
            }
            for (var v = from; v <= to; v += step)
            {
                bits |= 1UL << v;
            }
        }
        return bits;
    }

    private static int Value(string text, string field, string name, int min, int max, string[]? names)
    {
        if (names is not null)
        {
            var index = Array.FindIndex(names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                return index + (names == MonthNames ? 1 : 0);
            }
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Bad(field, name, min, max, names);
    }

    private static FormatException Bad(string field, string name, int min, int max, string[]? names) =>
        new($"the {name} field '{field}' is not *, a value {min}–{max}{(names is null ? "" : $" or {names[0]}–{names[^1]}")}, a range a-b, a step */n or a-b/n, or a list of these.");

    private static bool Has(ulong bits, int value) => (bits & (1UL << value)) != 0;

    /// <summary>The first time strictly after <paramref name="after"/> (UTC) that matches; null if none within nine years.</summary>
    public DateTime? NextAfter(DateTime after)
    {
        var utc = after.Kind == DateTimeKind.Local ? after.ToUniversalTime() : after;
        var t = new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc).AddSeconds(1);
        var limit = t.AddYears(9);
        while (t < limit)
        {
            if (!Has(months, t.Month))
            {
                t = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
            }
            else if (!Has(days, t.Day) || !Has(daysOfWeek, (int)t.DayOfWeek))
            {
                t = t.Date.AddDays(1);
            }
            else if (!Has(hours, t.Hour))
            {
                t = t.Date.AddHours(t.Hour + 1);
            }
            else if (!Has(minutes, t.Minute))
            {
                t = t.Date.AddHours(t.Hour).AddMinutes(t.Minute + 1);
            }
            else if (!Has(seconds, t.Second))
            {
                t = t.AddSeconds(1);
            }
            else
            {
                return t;
            }
        }
        return null;
    }
}
