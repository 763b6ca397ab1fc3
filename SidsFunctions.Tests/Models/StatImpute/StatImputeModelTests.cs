using SidsModels.Common;
using SidsModels.Interpolation;
using SidsModels.StatImpute;

namespace SidsFunctions.Tests.Models.StatImpute;

/// <summary>The StatImpute model over small tables: countries, one series, year ranges, all countries, errors.</summary>
public sealed class StatImputeModelTests
{
    private const string Target = "wdi-TEST";
    private static readonly int[] Years = Enumerable.Range(2000, 10).ToArray();
    private static readonly double N = double.NaN;

    private static StatImputeModel Model(params TestTables.Row[] rows) => new(TestTables.Build(Years, rows));

    private static TestTables.Row Row(string country, params double[] values) => new(country, Target, values);

    private static InterpolationSettings Linear(LimitDirection direction = LimitDirection.Both) => new(InterpolationMethod.Linear, direction);

    [Fact]
    public void CountriesAreTheSidsWithARowInFileOrder()
    {
        var model = Model(
            Row("TTO", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
            Row("QMA", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), // not a SIDS code
            Row("ATG", N, N, N, N, N, N, N, N, N, N), // a row with every year empty still counts
            Row("BRB", 1, N, 3, N, 5, N, 7, N, 9, N));
        Assert.Equal(["TTO", "ATG", "BRB"], model.Countries(Target));
        Assert.Empty(model.Countries("wdi-NOPE"));
    }

    [Fact]
    public void ImputesOneCountryAndReportsTheFilledYears()
    {
        var model = Model(Row("BRB", N, 2, N, N, 8, 10, N, 14, N, N));
        var forward = model.Impute(Target, "BRB", Linear(LimitDirection.Forward));
        // Leading gap kept and dropped; inner gaps on straight lines; the trailing gap repeats the last value.
        Assert.Equal(Enumerable.Range(2001, 9), forward.Years);
        Assert.Equal([2, 4, 6, 8, 10, 12, 14, 14, 14], forward.Values);
        Assert.Equal([2002, 2003, 2006, 2008, 2009], forward.MissingYears);

        var backward = model.Impute(Target, "BRB", Linear(LimitDirection.Backward));
        Assert.Equal(Enumerable.Range(2000, 8), backward.Years);
        Assert.Equal([2, 2, 4, 6, 8, 10, 12, 14], backward.Values);
        Assert.Equal([2000, 2002, 2003, 2006], backward.MissingYears);
    }

    [Fact]
    public void YearsAMethodCannotReachAreDropped()
    {
        var model = Model(Row("BRB", N, 1, 4, 9, N, 25, 36, N, 64, N));
        var cubic = model.Impute(Target, "BRB", new InterpolationSettings(InterpolationMethod.Cubic, LimitDirection.Both));
        // interp1d does not extrapolate: 2000 and 2009 stay empty and leave the answer.
        Assert.Equal(Enumerable.Range(2001, 8), cubic.Years);
        Assert.Equal([2004, 2007], cubic.MissingYears);
        Assert.Equal(16, cubic.Values[3], 9);
        Assert.Equal(49, cubic.Values[6], 9);
    }

    [Fact]
    public void AYearRangeIsTheWholeXRange()
    {
        var model = Model(Row("BRB", 0, N, N, N, 5, N, N, N, N, 90));
        var all = model.Impute(Target, "BRB", Linear());
        Assert.Equal(2.5, all.Values[2], 12); // 2002, halfway between 2000 (0) and 2004 (5)

        var within = model.Impute(Target, "BRB", Linear(), new YearRange(2002, 2006));
        // Only 2002–2006: 2004 is the one observation there, values outside neither used nor returned.
        Assert.Equal([2002, 2003, 2004, 2005, 2006], within.Years);
        Assert.All(within.Values, v => Assert.Equal(5, v));
        Assert.Equal([2002, 2003, 2005, 2006], within.MissingYears);

        var wide = model.Impute(Target, "BRB", Linear(), new YearRange(1990, 2100));
        Assert.Equal(all.Years, wide.Years);
        Assert.Equal(all.Values, wide.Values);
        Assert.Equal(all.MissingYears, wide.MissingYears);
    }

    [Theory]
    [InlineData(2005, 2001, "from <= to")]
    [InlineData(1980, 1990, "none of the dataset's years")]
    public void UnfitRangesAreRefused(int from, int to, string message)
    {
        var model = Model(Row("BRB", 0, N, N, N, 5, N, N, N, N, 90));
        var error = Assert.Throws<InvalidInputException>(() => model.Impute(Target, "BRB", Linear(), new YearRange(from, to)));
        Assert.Equal("years", error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("XYZ")]
    [InlineData("QMA")] // a row, but not a SIDS country
    [InlineData("CUB")] // a SIDS country without a row
    public void UnknownCountriesGetThePythonMessage(string country)
    {
        var model = Model(Row("BRB", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), Row("QMA", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        var error = Assert.Throws<InvalidInputException>(() => model.Impute(Target, country, Linear()));
        Assert.Equal($"Invalid country {country}. Please try /statimpute/get_countries endpoint for supported values", error.Message);
        Assert.Equal("country", error.Field);
    }

    [Theory]
    [InlineData("wdi-NOPE")]
    [InlineData("wdi-OTHER")] // an indicator without SIDS rows
    public void UnknownTargetsAreRefused(string target)
    {
        var table = TestTables.Build(Years, [Row("BRB", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), new TestTables.Row("QMA", "wdi-OTHER", [.. Years.Select(y => 1.0)])]);
        var error = Assert.Throws<InvalidInputException>(() => new StatImputeModel(table).Impute(target, "BRB", Linear()));
        Assert.Equal("target", error.Field);
        Assert.StartsWith($"Invalid target {target}.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARowWithoutValuesGivesAnEmptySeries()
    {
        var result = Model(Row("ATG", N, N, N, N, N, N, N, N, N, N)).Impute(Target, "ATG", Linear());
        Assert.Empty(result.Years);
        Assert.Empty(result.Values);
        Assert.Empty(result.MissingYears);
    }

    [Fact]
    public void TooFewObservedYearsForTheMethodAreRefused()
    {
        var model = Model(Row("BRB", N, 1, N, N, 5, N, N, N, N, N));
        var error = Assert.Throws<InvalidInputException>(() =>
            model.Impute(Target, "BRB", new InterpolationSettings(InterpolationMethod.Cubic)));
        Assert.Contains("at least 4 observed values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AllCountriesInFileOrderKeepingObservedValuesWhereTheMethodCannotApply()
    {
        var model = Model(
            Row("TTO", 1, N, 3, N, 5, 6, N, 8, 9, 10),
            Row("ATG", N, 4, N, N, N, N, N, 9, N, N),
            Row("QMA", 1, N, 3, N, 5, 6, N, 8, 9, 10),
            Row("BRB", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        var settings = new InterpolationSettings(InterpolationMethod.Cubic);
        var all = model.ImputeAll(Target, settings);
        Assert.Equal(["TTO", "ATG", "BRB"], all.Select(s => s.Country));
        Assert.Equal(model.Impute(Target, "TTO", settings).Values, all[0].Values);
        Assert.Null(all[0].NotImputed);
        Assert.Equal([2001, 2007], all[1].Years);
        Assert.Equal([4, 9], all[1].Values);
        Assert.Empty(all[1].MissingYears);
        Assert.Contains("at least 4 observed values", all[1].NotImputed, StringComparison.Ordinal);
        Assert.Empty(all[2].MissingYears);
    }

    [Fact]
    public void AnOrderNoSeriesCanTakeFailsTheAllCountriesCall()
    {
        var model = Model(Row("BRB", 1, N, 3, N, 5, 6, N, 8, 9, 10));
        var error = Assert.Throws<InvalidInputException>(() =>
            model.ImputeAll(Target, new InterpolationSettings(InterpolationMethod.Polynomial, LimitDirection.Both, 4)));
        Assert.Equal("d", error.Field);
    }

    [Fact]
    public void ConcurrentCallsGiveTheSameAnswers()
    {
        var model = Model(Row("TTO", 1, N, 3, N, 5, 6, N, 8, 9, 10), Row("BRB", 3, N, N, 4, 5, 2, N, 8, N, 1));
        var settings = new InterpolationSettings(InterpolationMethod.Spline, LimitDirection.Both, 2);
        var expected = model.ImputeAll(Target, settings);
        Parallel.For(0, 64, _ =>
        {
            var again = model.ImputeAll(Target, settings);
            for (var c = 0; c < expected.Count; c++)
            {
                Assert.Equal(expected[c].Years, again[c].Years);
                Assert.Equal(expected[c].Values, again[c].Values);
            }
        });
    }
}
