using System.Globalization;
using SidsFunctions.TimeEstimates;

namespace SidsFunctions.Tests.TimeEstimates;

/// <summary>
/// The NCRONTAB parser of the in-process timer. Expected occurrences worked out by hand from the calendar
/// (2026-11-21 is a Saturday; the next Friday the 13th after it is 2027-08-13, checked with Python's datetime).
/// </summary>
public sealed class CrontabScheduleTests
{
    private static DateTime Utc(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    [Theory]
    [InlineData("0 0 * * * *", "2026-11-21T10:15:30", "2026-11-21T11:00:00")]
    [InlineData("0 0 * * * *", "2026-11-21T11:00:00", "2026-11-21T12:00:00")] // strictly after
    [InlineData("0 0 * * * *", "2026-11-21T23:59:59.9", "2026-11-22T00:00:00")]
    [InlineData("*/15 * * * * *", "2026-11-21T10:00:07", "2026-11-21T10:00:15")]
    [InlineData("0 */5 * * * *", "2026-11-21T10:03:00", "2026-11-21T10:05:00")]
    [InlineData("10-20/5 * * * * *", "2026-11-21T10:00:16", "2026-11-21T10:00:20")]
    [InlineData("30/10 * * * * *", "2026-11-21T10:00:51", "2026-11-21T10:01:30")]
    [InlineData("0 30 9 * * Mon-Fri", "2026-11-21T08:00:00", "2026-11-23T09:30:00")]
    [InlineData("0 0 12 * * 7", "2026-11-21T13:00:00", "2026-11-22T12:00:00")] // 7 is Sunday too
    [InlineData("0 0 0 1 Jan,Jul *", "2026-11-21T00:00:00", "2027-01-01T00:00:00")]
    [InlineData("0 0 0 29 2 *", "2026-03-01T00:00:00", "2028-02-29T00:00:00")]
    [InlineData("0 0 0 13 * 5", "2026-11-21T00:00:00", "2027-08-13T00:00:00")] // day and weekday both hold
    [InlineData("0 0 0 31 * *", "2026-11-21T00:00:00", "2026-12-31T00:00:00")] // November has no 31st
    [InlineData("15,45 5 4 3 2 *", "2026-11-21T00:00:00", "2027-02-03T04:05:15")]
    public void TheNextOccurrenceIsTheFirstMatchingSecondAfterTheTime(string expression, string after, string expected)
    {
        Assert.Equal(Utc(expected), CrontabSchedule.Parse(expression).NextAfter(Utc(after)));
    }

    [Fact]
    public void ConsecutiveOccurrencesOfAnHourlyScheduleAreAnHourApart()
    {
        var schedule = CrontabSchedule.Parse("0 0 * * * *");
        var t = Utc("2026-11-21T22:30:00");
        var occurrences = new List<DateTime>();
        for (var i = 0; i < 4; i++)
        {
            t = schedule.NextAfter(t)!.Value;
            occurrences.Add(t);
        }
        Assert.Equal([Utc("2026-11-21T23:00:00"), Utc("2026-11-22T00:00:00"), Utc("2026-11-22T01:00:00"), Utc("2026-11-22T02:00:00")], occurrences);
    }

    [Theory]
    [InlineData("0 0 * * *", "has 5 fields")]
    [InlineData("60 * * * * *", "second field '60'")]
    [InlineData("* * 24 * * *", "hour field '24'")]
    [InlineData("* * * 0 * *", "day field '0'")]
    [InlineData("* * * * 13 *", "month field '13'")]
    [InlineData("* * * * Foo *", "month field 'Foo'")]
    [InlineData("* * * * * 8", "day-of-week field '8'")]
    [InlineData("*/0 * * * * *", "second field '*/0'")]
    [InlineData("5-1 * * * * *", "second field '5-1'")]
    [InlineData("-1 * * * * *", "second field '-1'")]
    [InlineData("0 0 0 31 2 *", "never occurs")]
    public void BadSchedulesNameTheFieldAtFault(string expression, string message)
    {
        var error = Assert.Throws<FormatException>(() => CrontabSchedule.Parse(expression));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
