using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using SidsFunctions.Hosting.Requests;
using SidsFunctions.Tests.Infrastructure;
using SidsModels.Common;
using SidsModels.Interpolation;

namespace SidsFunctions.Tests.Models.Interpolation;

/// <summary>
/// Every case of interpolation.json: what pandas 1.5.3 <c>Series(values, index=years).interpolate(method,
/// order=order, limit_direction=direction)</c> gives with scipy 1.10 (shared/reference, tools/ref/make_reference.py).
/// Filled values agree to a relative 1e-8 (absolute 1e-12 near zero), missing ones stay missing, and
/// where pandas raised the model refuses with an <see cref="InvalidInputException"/>.
/// </summary>
[Trait("Category", "Reference")]
public sealed class SeriesInterpolationReferenceTests
{
    private const double Relative = 1e-8;
    private const double Absolute = 1e-12;
    private static readonly ConcurrentDictionary<string, IReadOnlyList<JsonObject>> Files = new();

    public static IEnumerable<object[]> Cases => Fixtures.CaseIndices("interpolation.json");

    [Fact]
    public void TheFixtureIsThere() => Assert.NotEmpty(Fixtures.Cases("interpolation.json"));

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPandas(string file, int index)
    {
        var c = Files.GetOrAdd(file, Fixtures.Cases)[index];
        var years = Fixtures.Doubles(c["years"]);
        var values = Fixtures.Doubles(c["values"]);
        var method = (InterpolationMethod)Parse<InterpolationMethod>(c["method"]!.GetValue<string>());
        var direction = (LimitDirection)Parse<LimitDirection>(c["direction"]?.GetValue<string>() ?? "forward");
        int? order = c["order"] is { } o ? o.GetValue<int>() : null;
        var label = $"case {index}: {c["method"]} order {order?.ToString(CultureInfo.InvariantCulture) ?? "-"} {c["direction"]}";

        if (c["error"] is { } error)
        {
            var refused = Assert.Throws<InvalidInputException>(() =>
                SeriesInterpolation.Interpolate(years, values, new InterpolationSettings(method, direction, order)));
            Assert.False(string.IsNullOrWhiteSpace(refused.Message), $"{label}: pandas raised {error}");
            return;
        }
        var expected = Fixtures.Doubles(c["expected"]);
        var actual = SeriesInterpolation.Interpolate(years, values, new InterpolationSettings(method, direction, order));
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (double.IsNaN(expected[i]))
            {
                Assert.True(double.IsNaN(actual[i]), $"{label}: year {years[i]} should stay missing, got {actual[i]}");
                continue;
            }
            var tolerance = Math.Max(Relative * Math.Abs(expected[i]), Absolute);
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance,
                $"{label}: year {years[i]} expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    private static object Parse<TEnum>(string name) where TEnum : struct, Enum =>
        EnumValues.Of<TEnum>().TryParse(name, out var value) ? value : throw new InvalidDataException($"unknown {typeof(TEnum).Name} {name}");
}
