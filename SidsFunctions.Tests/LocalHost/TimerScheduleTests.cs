using System.Text.Json;
using SidsFunctions.LocalHost;

namespace SidsFunctions.Tests.LocalHost;

public sealed class TimerScheduleTests
{
    private static FunctionDescription Timer(string schedule) =>
        new("AggregateTimeEstimates", "1", TriggerKind.Timer, "timer", "timerTrigger", null, [], schedule, false);

    private static HostSettings Settings(params (string Key, string Value)[] values) =>
        new(values.ToDictionary(v => v.Key, v => v.Value));

    [Fact]
    public void ASettingIsResolvedAndParsedWithSeconds()
    {
        var s = TimerSchedule.Resolve(Timer("%TIME_ESTIMATE_SCHEDULE%"), Settings(("TIME_ESTIMATE_SCHEDULE", "*/10 * * * * *")));
        Assert.Equal("*/10 * * * * *", s.Expression);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 10), s.Next(new DateTime(2026, 1, 1, 0, 0, 1)));
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 20), s.Next(new DateTime(2026, 1, 1, 0, 0, 10)));
    }

    [Fact]
    public void ALiteralScheduleNeedsNoSetting()
    {
        var s = TimerSchedule.Resolve(Timer("0 30 2 * * *"), Settings());
        Assert.Equal(new DateTime(2026, 1, 2, 2, 30, 0), s.Next(new DateTime(2026, 1, 1, 3, 0, 0)));
    }

    [Fact]
    public void AMissingSettingIsNamed()
    {
        var ex = Assert.Throws<HostStartupException>(() => TimerSchedule.Resolve(Timer("%TIME_ESTIMATE_SCHEDULE%"), Settings()));
        Assert.Contains("'TIME_ESTIMATE_SCHEDULE'", ex.Message);
        Assert.Contains("AggregateTimeEstimates", ex.Message);
    }

    [Theory]
    [InlineData("not a schedule")]
    [InlineData("0 */5 * * *")]      // five fields: the Functions host needs six
    [InlineData("61 * * * * *")]
    public void AnInvalidScheduleNamesTheSettingAndTheExpression(string value)
    {
        var ex = Assert.Throws<HostStartupException>(() => TimerSchedule.Resolve(Timer("%TIME_ESTIMATE_SCHEDULE%"), Settings(("TIME_ESTIMATE_SCHEDULE", value))));
        Assert.Contains("TIME_ESTIMATE_SCHEDULE", ex.Message);
        Assert.Contains($"'{value}'", ex.Message);
        Assert.Contains("NCRONTAB", ex.Message);
    }

    [Fact]
    public void TimerInfoHasTheShapeTheWorkerBinds()
    {
        using var doc = JsonDocument.Parse(TimerSchedule.TimerInfoJson(new DateTime(2026, 1, 1, 0, 0, 0), new DateTime(2026, 1, 1, 0, 5, 0), isPastDue: true));
        var root = doc.RootElement;
        Assert.True(root.GetProperty("IsPastDue").GetBoolean());
        Assert.Equal(new DateTime(2026, 1, 1, 0, 5, 0), root.GetProperty("ScheduleStatus").GetProperty("Next").GetDateTime());
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0), root.GetProperty("ScheduleStatus").GetProperty("Last").GetDateTime());
    }
}
