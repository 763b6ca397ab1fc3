using System.Text;
using SidsModels.Common;
using SidsModels.Data;
using SidsModels.TwoLevelImputation;

namespace SidsFunctions.Tests.Models.TwoLevelImputation;

/// <summary>The temporal features against hand-computed series, the leakage guarantee, the fallback to year by year.</summary>
public sealed class TemporalApproachTests
{
    private const double N = double.NaN;

    [Fact]
    public void GapsOnBothSidesInterpolateBetweenTheBracketingYears()
    {
        double[] series = [1, 2, N, N, 8, N, 12, 14];
        var f = TemporalFeatures.Compute(series, 3, gap: 1)!;
        Assert.Equal(6, f.Interpolated, 12);         // 2 + (3 − 1)/(4 − 1)·(8 − 2)
        Assert.Equal(8, f.Nearest);                  // year 4 is 1 away, year 1 is 2 away
        // Theil–Sen through years 4, 1, 0, 6 (x = 1, −2, −3, 3 from year 3; y = 8, 2, 1, 12): pairwise slopes 2, 1.75, 2,
        // 1, 2, 11/6, median 23/12; intercepts 73/12, 70/12, 81/12, 75/12, median 74/12.
        Assert.Equal(74.0 / 12, f.Local, 12);
        Assert.Equal((1, 3, 5), (f.Distance, f.Span, f.Count));
        Assert.Equal(1, TemporalFeatures.NearestObservedDistance(series, 3));
    }

    [Fact]
    public void AGapReadsOnlyYearsThatFarAway()
    {
        double[] series = [1, 2, N, N, 8, N, 12, 14];
        var f = TemporalFeatures.Compute(series, 3, gap: 2)!;
        Assert.Equal(6, f.Interpolated, 12);         // years 1 and 6: 2 + (2/5)·10
        Assert.Equal(2, f.Nearest);
        Assert.Equal((2, 5, 4), (f.Distance, f.Span, f.Count));
        // Theil–Sen through years 1, 0, 6, 7 (the four nearest at least 2 away; x = −2, −3, 3, 4): pairwise slopes 1, 2, 2,
        // 11/6, 13/7, 2, median (13/7 + 2)/2 = 27/14; intercepts 41/7, 95/14, 87/14, 44/7, median (87/14 + 88/14)/2 = 6.25.
        Assert.Equal(6.25, f.Local, 12);
    }

    [Fact]
    public void AGapAtTheStartReadsTheLaterYearsOnly()
    {
        double[] series = [N, N, 5, 7, N, N];
        var f = TemporalFeatures.Compute(series, 0, gap: 1)!;
        Assert.Equal((5.0, 5.0), (f.Interpolated, f.Nearest));
        Assert.Equal(1, f.Local, 12);                // the line through (2, 5) and (3, 7) at 0
        Assert.Equal((2, 0, 2), (f.Distance, f.Span, f.Count));
    }

    [Fact]
    public void AGapAtTheEndReadsTheEarlierYearsOnly()
    {
        double[] series = [N, N, N, N, 3, 4, N, N];
        var f = TemporalFeatures.Compute(series, 7, gap: 1)!;
        Assert.Equal((4.0, 4.0), (f.Interpolated, f.Nearest));
        Assert.Equal(6, f.Local, 12);                // the line through (5, 4) and (4, 3) at 7
        Assert.Equal((2, 0, 2), (f.Distance, f.Span, f.Count));
    }

    [Fact]
    public void OneOddYearDoesNotTiltTheLocalLine()
    {
        // Year 0 from years 1–4 (10, 84, 10, 20): pairwise slopes 74, 0, 10/3, −74, −32, 10, median 5/3; intercepts
        // 25/3, 242/3, 5, 40/3, median 65/6. A least-squares line through them would say 42.
        double[] series = [N, 10, 84, 10, 20, N];
        var f = TemporalFeatures.Compute(series, 0, gap: 1)!;
        Assert.Equal(65.0 / 6, f.Local, 12);
    }

    [Fact]
    public void ASingleObservedYearIsEveryEstimate()
    {
        double[] series = [N, N, N, 9, N, N, N];
        var f = TemporalFeatures.Compute(series, 6, gap: 1)!;
        Assert.Equal((9.0, 9.0, 9.0), (f.Interpolated, f.Nearest, f.Local));
        Assert.Equal((3, 0, 1), (f.Distance, f.Span, f.Count));
        Assert.Null(TemporalFeatures.Compute(series, 6, gap: 4)); // the one year is 3 away
    }

    [Fact]
    public void NoOtherObservedYearGivesNoFeatures()
    {
        double[] series = [N, N, 4, N, N];
        Assert.Null(TemporalFeatures.Compute(series, 2, gap: 1));
        Assert.Null(TemporalFeatures.NearestObservedDistance(series, 2));
        Assert.Null(TemporalFeatures.Compute([N, N, N], 1, gap: 1));
    }

    [Fact]
    public void TiesGoToTheEarlierYear()
    {
        var f = TemporalFeatures.Compute([N, 4, N, 6], 2, gap: 1)!;
        Assert.Equal((5.0, 4.0, 1, 2), (f.Interpolated, f.Nearest, f.Distance, f.Span));
    }

    // A small world: 30 countries (the first 15 SIDS codes and 15 others), a target T with a trend per country,
    // a predictor P related to it, years 2000–2009.
    private static IndicatorTable Table(Func<int, int, double?> target)
    {
        var countries = SidsCountries.Codes.Take(15).Concat(Enumerable.Range(0, 15).Select(i => $"Q{(char)('A' + i)}X")).ToArray();
        var years = Enumerable.Range(2000, 10).ToArray();
        var data = new StringBuilder("Country Code,Indicator Code," + string.Join(',', years) + "\n");
        for (var c = 0; c < countries.Length; c++)
        {
            string Cell(double? v) => v is { } x ? x.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "";
            data.Append($"{countries[c]},wdi-T,{string.Join(',', years.Select((_, y) => Cell(target(c, y))))}\n");
            data.Append($"{countries[c]},wdi-P,{string.Join(',', years.Select((_, y) => Cell(c * 1.5 + y * 0.3 + (c * 7 + y * 3) % 5)))}\n");
        }
        const string meta = "Indicator Code,Indicator,Dimension,Dataset,Category\nwdi-T,Tea,u,wdi,A\nwdi-P,Pea,u,wdi,B\n";
        static Stream Text(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));
        return IndicatorTableLoader.Load(Text(meta), Text("Dataset Code,Dataset Name\nwdi,W\n"), Text(data.ToString()));
    }

    private static double Trend(int c, int y) => 10 + c * 2 + y * (1 + c % 3) + (c * 5 + y * 7) % 3 * 0.4;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void NoHiddenValueReachesAnyFeature(int gap)
    {
        // Country 0's target in 2005 (and, with a gap, the years closer than it) takes three values: hidden,
        // one number, another. Its design row (the residual model's features) is the same each time.
        const int year = 5;
        IndicatorTable With(double? hidden) => Table((c, y) => c == 0 && Math.Abs(y - year) < gap ? hidden : Trend(c, y));
        double[] Row(IndicatorTable table)
        {
            var target = table.IndicatorIndexOf("wdi-T");
            var countries = Enumerable.Range(0, table.CountryCount).ToArray();
            var design = TemporalApproach.Design(table, target, year, countries, [table.CountryIndexOf(SidsCountries.Codes[0])], gap);
            Assert.Single(design.Rows);
            return design.X.Row(0).ToArray();
        }
        var hidden = Row(With(null));
        Assert.Equal(hidden, Row(With(1e6)));
        Assert.Equal(hidden, Row(With(-3)));
        Assert.Equal(TemporalFeatures.Width, hidden.Length);
    }

    // Rows 0–2 of a group (positions 4, 5, 6 in the year-by-year model's rows): targets 10, 20, 30, interpolations 9, 19, 29.
    private static readonly int[] GroupRows = [4, 5, 6];
    private static readonly double[] GroupTargets = [0, 0, 0, 0, 10, 20, 30];
    private static readonly double[] GroupInterpolated = [9, 19, 29];

    [Fact]
    public void AResidualModelThatIsRightHeldOutTakesTheWholeBlend()
    {
        double[] heldOut = [1, 1, 1];                       // interpolation + residual = the target
        double[] yearByYear = [0, 0, 0, 0, 12, 18, 33];
        Assert.Equal(0, TemporalApproach.YearByYearShare(heldOut, GroupInterpolated, yearByYear, GroupTargets, GroupRows, [1, 1, 1]));
    }

    [Fact]
    public void AYearByYearModelThatIsRightHeldOutTakesTheWholeBlend()
    {
        double[] heldOut = [3, -2, 0];
        double[] yearByYear = [99, 99, 99, 99, 10, 20, 30];  // rows outside the group do not count
        Assert.Equal(1, TemporalApproach.YearByYearShare(heldOut, GroupInterpolated, yearByYear, GroupTargets, GroupRows, [1, 1, 1]));
    }

    [Theory]
    // Temporal 1 above every target, year by year 1 below: the error (1 − 2w) vanishes at w = 0.5.
    [InlineData(1.0, 1.0, 0.5)]
    // Temporal 1 above, year by year 3 below on the first row only, weighted 9 to 1 against the others (1 below):
    // Σ wᵢ |1 − w(1 + dᵢ)|, d = (3, 1, 1), weights (9, 1, 1): 3.0 at w = 0.2, 2.6 at 0.3, 5.8 at 0.4 → 0.3.
    [InlineData(3.0, 9.0, 0.3)]
    public void TheShareIsTheBestOfTheTenthsOnTheWeightedHeldOutErrors(double firstBelow, double firstWeight, double expected)
    {
        double[] heldOut = [2, 2, 2];                       // interpolation + 2 = target + 1
        double[] yearByYear = [0, 0, 0, 0, 10 - firstBelow, 19, 29];
        Assert.Equal(expected, TemporalApproach.YearByYearShare(heldOut, GroupInterpolated, yearByYear, GroupTargets, GroupRows,
            [firstWeight, 1, 1]), 12);
    }

    [Fact]
    public void OneBadlyMissedRowDoesNotCarryTheShare()
    {
        // Temporal 10 above on the first row, exact on the others; year by year exact on the first, 6 off on the others.
        // Absolute error 10(1 − w) + 12w: least at w = 0. A squared error, 100(1 − w)² + 72w², would take 0.6 to the
        // model that is wrong on two rows of three.
        double[] heldOut = [11, 1, 1];
        double[] yearByYear = [0, 0, 0, 0, 10, 14, 36];
        Assert.Equal(0, TemporalApproach.YearByYearShare(heldOut, GroupInterpolated, yearByYear, GroupTargets, GroupRows, [1, 1, 1]));
    }

    [Fact]
    public void ResidualsFarOutsideTheirBulkAreLearnedAtTheFence()
    {
        // 0..19 and 1000: the 5th and 95th percentiles (linear, positions 1 and 19 of 0..20) are 1 and 19, the fence
        // [1 − 18, 19 + 18] = [−17, 37].
        double[] residuals = [.. Enumerable.Range(0, 20).Select(i => (double)i), 1000];
        Assert.Equal([.. Enumerable.Range(0, 20).Select(i => (double)i), 37], TemporalApproach.FenceOutliers(residuals));
        double[] negated = [.. residuals.Select(r => -r)];
        Assert.Equal([.. negated[..20], -37], TemporalApproach.FenceOutliers(negated));
        // Most residuals equal: nothing is moved.
        Assert.Equal([2.0, 2, 2, 2], TemporalApproach.FenceOutliers([2.0, 2, 2, 2]));
    }

    /// <summary>One training country's jump in the target year (its residual a thousand times the others') leaves a SIDS's answer.</summary>
    [Theory]
    [InlineData(ModelKind.RandomForest, 100)]
    [InlineData(ModelKind.RandomForest, 20)]
    [InlineData(ModelKind.ExtraTrees, 100)]
    public async Task AnotherCountrysOutlyingJumpDoesNotReachASidsAnswer(ModelKind kind, int estimators)
    {
        // SIDS 0 is missing in 2005; country 20 (not a SIDS) has SIDS 0's series, and jumps by 10⁵ that year, or not.
        IndicatorTable With(double jump) => Table((c, y) => c == 0 && y == 5 ? null
            : c == 20 ? Trend(0, y) + (y == 5 ? jump : 0) : Trend(c, y));
        async Task<TwoLevelResult> Answer(IndicatorTable table) =>
            await new TwoLevelImputationModel(new TwoLevelCatalog(table)).RunAsync(Request(Approach.Temporal, estimators, kind));
        static double Sids0(TwoLevelResult result) => result.Values.Single(v => v.Country == SidsCountries.Codes[0]).Value;
        var plain = await Answer(With(0));
        var jumped = await Answer(With(1e5));
        Assert.True(Math.Abs(Sids0(jumped) - Sids0(plain)) < 5, $"{Sids0(plain)} → {Sids0(jumped)}");
        // The residual model's reported error is its real one: the jump, missed, is in it (about 10⁵/√30 ≈ 18,000).
        Assert.True(jumped.Temporal!.Models.Single(m => m.Distance == 1).Rmse > 5000);
        Assert.True(plain.Temporal!.Models.Single(m => m.Distance == 1).Rmse < 50);
    }

    private static TwoLevelRequest Request(Approach approach, int estimators = 20, ModelKind model = ModelKind.RandomForest) =>
        new(2005, "wdi-T", "wdi", Scheme.MANUAL, ["wdi-P"], null, Interpolator.KNNImputer, estimators, model, IntervalKind.Quantile, approach);

    /// <summary>
    /// Random forests and extra trees (then with bootstrap) of enough trees are scored out of bag in a temporal answer
    /// (both its models, and their intervals); smaller forests are cross-validated, as in a year-by-year answer.
    /// </summary>
    [Theory]
    [InlineData(ModelKind.RandomForest, 100, true)]
    [InlineData(ModelKind.RandomForest, 20, false)]
    [InlineData(ModelKind.ExtraTrees, 100, true)]
    [InlineData(ModelKind.ExtraTrees, 20, false)]
    public async Task ATemporalAnswersBootstrappedForestsAreScoredOutOfBag(ModelKind kind, int estimators, bool outOfBag)
    {
        var table = Table((c, y) => c == 0 || (c == 1 && y == 5) || (c == 2 && y is >= 3 and <= 6) ? null : Trend(c, y));
        var model = new TwoLevelImputationModel(new TwoLevelCatalog(table));
        var temporal = await model.RunAsync(Request(Approach.Temporal, estimators, kind));
        Assert.Equal(outOfBag, temporal.IntervalMethod.Replace('-', ' ').Contains("out of bag", StringComparison.Ordinal));
        // A year-by-year answer is cross-validated whatever its ensemble.
        var yearByYear = await model.RunAsync(Request(Approach.YearByYear, estimators, kind));
        Assert.Contains("cross-validated rows", yearByYear.IntervalMethod, StringComparison.Ordinal);
        Assert.Equal(!outOfBag, temporal.IntervalMethod.Contains("cross-validated rows", StringComparison.Ordinal));
        Assert.All(temporal.Predicted, v => Assert.True(v.Lower <= v.Value && v.Value <= v.Upper));
        // The series still carries the answer for the countries that have one.
        foreach (var c in new[] { 1, 2 })
        {
            Assert.InRange(temporal.Predicted.Single(v => v.Country == SidsCountries.Codes[c]).Value, Trend(c, 5) - 1, Trend(c, 5) + 1);
        }
    }

    /// <summary>
    /// A booster's largest distance group searches the depths; the year-by-year booster and the other groups are cross-validated
    /// at its choice. The groups are bounded by the answer's held-out residuals (quantile intervals too: no quantile boosters), the
    /// countries without a series by the year-by-year booster's requested method.
    /// </summary>
    [Theory]
    [InlineData(IntervalKind.Quantile)]
    [InlineData(IntervalKind.Bootstrap)]
    public async Task ATemporalBoostersDepthIsTheLargestGroupsChoice(IntervalKind interval)
    {
        // SIDS 0 has no value of T in any year; SIDS 1 and 3 lack 2005 only, SIDS 2 lacks 2003–2006.
        var table = Table((c, y) => c == 0 || (c is 1 or 3 && y == 5) || (c == 2 && y is >= 3 and <= 6) ? null : Trend(c, y));
        var model = new TwoLevelImputationModel(new TwoLevelCatalog(table));
        var request = Request(Approach.Temporal, 100, ModelKind.GradientBoosting) with { Interval = interval };
        var temporal = await model.RunAsync(request);
        var yearByYear = await model.RunAsync(request with { Approach = Approach.YearByYear });

        var models = temporal.Temporal!.Models;
        Assert.Equal([1, 2, null], models.Select(m => m.Distance));
        Assert.All(models, m => Assert.Equal(models[0].Model, m.Model));
        Assert.Equal(yearByYear.Model with { MaxDepth = models[0].Model.MaxDepth }, models[0].Model);
        // The year-by-year booster's interval is the requested method's, around its answer for SIDS 0.
        var codes = SidsCountries.Codes;
        var none = temporal.Predicted.Single(v => v.Country == codes[0]);
        Assert.True(none.Lower < none.Value && none.Value < none.Upper);
        Assert.Contains(interval == IntervalKind.Quantile ? "quantile-loss gradient boosters" : "3-fold cross-validated residuals",
            yearByYear.IntervalMethod, StringComparison.Ordinal);

        // The series answers the two one year from an observed one (no share to the year-by-year booster), each within the
        // same range of the answer's held-out residuals, with quantile intervals too (a booster's quantile band is 12 more fits).
        var group = models.Single(m => m.Distance == 1);
        Assert.Equal(0, group.YearByYearShare);
        var (one, three) = (temporal.Predicted.Single(v => v.Country == codes[1]), temporal.Predicted.Single(v => v.Country == codes[3]));
        Assert.Equal(one.Upper - one.Value, three.Upper - three.Value, 9);
        Assert.Equal(one.Value - one.Lower, three.Value - three.Lower, 9);
        Assert.Contains("the answer plus the 5% and 95% quantiles of its held-out residuals", temporal.IntervalMethod, StringComparison.Ordinal);
    }

    /// <summary>
    /// A blended group's interval is the answer plus its own held-out residual quantiles, with quantile intervals as with
    /// bootstrap ones: every country of the group the same distance below and above its answer. The target is the predictor
    /// (whose year-to-year jumps the series cannot know) plus a country's own trend (which the predictor cannot), so each
    /// model knows half of it and the year-by-year model takes a share strictly between 0 and 1.
    /// </summary>
    [Theory]
    [InlineData(IntervalKind.Quantile)]
    [InlineData(IntervalKind.Bootstrap)]
    public async Task ABlendedGroupIsBoundedByItsOwnHeldOutResiduals(IntervalKind interval)
    {
        static double Predictor(int c, int y) => c * 1.5 + y * 0.3 + (c * 7 + y * 3) % 5;
        // SIDS 1, 3, 5 and 7 lack 2005 only.
        var table = Table((c, y) => c is 1 or 3 or 5 or 7 && y == 5 ? null : 3 * Predictor(c, y) + y * (c % 4) * 2);
        var model = new TwoLevelImputationModel(new TwoLevelCatalog(table));
        var temporal = await model.RunAsync(Request(Approach.Temporal, 100) with { Interval = interval });
        var group = Assert.Single(temporal.Temporal!.Models);
        Assert.InRange(group.YearByYearShare, 0.05, 0.95);
        var values = temporal.Predicted.ToArray();
        Assert.Equal(4, values.Length);
        Assert.All(values, v => Assert.Equal(values[0].Upper - values[0].Value, v.Upper - v.Value, 9));
        Assert.All(values, v => Assert.Equal(values[0].Value - values[0].Lower, v.Value - v.Lower, 9));
        Assert.Contains("the answer plus the 5% and 95% quantiles of its held-out residuals", temporal.IntervalMethod, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountriesWithNoOtherObservedYearGetTheYearByYearAnswer()
    {
        // SIDS 0 has no value of T in any year; SIDS 1 lacks 2005 only; SIDS 2 lacks 2003–2006.
        var table = Table((c, y) => c == 0 || (c == 1 && y == 5) || (c == 2 && y is >= 3 and <= 6) ? null : Trend(c, y));
        var model = new TwoLevelImputationModel(new TwoLevelCatalog(table));
        var yearByYear = await model.RunAsync(Request(Approach.YearByYear));
        var temporal = await model.RunAsync(Request(Approach.Temporal));
        Assert.Null(yearByYear.Temporal);

        var codes = SidsCountries.Codes.Take(3).ToArray();
        Assert.Equal(codes.Select((c, i) => new CountryDistance(c, i == 0 ? null : i == 1 ? 1 : 2)).OrderBy(d => d.Country, StringComparer.Ordinal),
            temporal.Temporal!.Distances);
        Assert.Equal([1, 2, null], temporal.Temporal.Models.Select(m => m.Distance));
        Assert.Equal([codes[0]], temporal.Temporal.Models.Single(m => m.Distance is null).Countries);
        var none = temporal.Predicted.Single(v => v.Country == codes[0]);
        Assert.Equal(yearByYear.Predicted.Single(v => v.Country == codes[0]), none);

        // Where the series helps, it helps: the trend's value in 2005, against the year-by-year guess.
        foreach (var (code, c) in new[] { (codes[1], 1), (codes[2], 2) })
        {
            var truth = Trend(c, 5);
            var t = temporal.Predicted.Single(v => v.Country == code);
            Assert.True(t.Lower <= t.Value && t.Value <= t.Upper);
            Assert.True(Math.Abs(t.Value - truth) < Math.Abs(yearByYear.Predicted.Single(v => v.Country == code).Value - truth),
                $"{code}: temporal {t.Value}, year by year {yearByYear.Predicted.Single(v => v.Country == code).Value}, truth {truth}");
        }
        Assert.Equal(["wdi-P", "Tea (neighbouring years)"], temporal.Features.Select(f => f.Indicator));
        Assert.Equal(1, temporal.Features.Sum(f => f.Importance), 9);
        // The residual models read the series only: the series' importance is each model's share of the countries
        // times its residual model's share of the blend.
        var models = temporal.Temporal.Models;
        Assert.Equal(models.Sum(m => (double)m.Countries.Count / codes.Length * (1 - m.YearByYearShare)),
            temporal.Features.Single(f => f.Indicator == "Tea (neighbouring years)").Importance, 9);
        Assert.Equal(temporal.Features.Select(f => f.Importance).Order(), temporal.Categories.Select(c => c.Importance).Order());
        Assert.Contains(temporal.Categories, c => c.Category == "Tea (neighbouring years)");
    }

    /// <summary>With `all`, the residual models search the year-by-year model's ensemble (its depths), not the three.</summary>
    [Fact]
    public async Task WithAllTheResidualModelsAreOfTheYearByYearModelsEnsemble()
    {
        var table = Table((c, y) => c == 0 || (c == 1 && y == 5) || (c == 2 && y is >= 3 and <= 6) ? null : Trend(c, y));
        var model = new TwoLevelImputationModel(new TwoLevelCatalog(table));
        var request = Request(Approach.YearByYear) with { Model = ModelKind.All };
        var yearByYear = await model.RunAsync(request);
        var temporal = await model.RunAsync(request with { Approach = Approach.Temporal });
        Assert.Equal(3, temporal.Temporal!.Models.Count);
        Assert.All(temporal.Temporal.Models, m => Assert.Equal(yearByYear.Model.Kind, m.Model.Kind));
        Assert.Equal(yearByYear.Model, temporal.Temporal.Models.Single(m => m.Distance is null).Model);
    }

    /// <summary>Also for ensembles that would be scored out of bag (extra trees bootstrapped, `all` per ensemble) had a country a usable
    /// series, and for a booster, whose depth a distance group would have chosen.</summary>
    [Theory]
    [InlineData(20, ModelKind.RandomForest)]
    [InlineData(100, ModelKind.RandomForest)]
    [InlineData(100, ModelKind.ExtraTrees)]
    [InlineData(100, ModelKind.All)]
    [InlineData(100, ModelKind.GradientBoosting)]
    public async Task WithoutAnyUsableSeriesTheAnswerIsTheYearByYearOne(int estimators, ModelKind kind)
    {
        // No predicted SIDS has another observed year: every one falls back.
        var table = Table((c, y) => c < 3 ? null : Trend(c, y));
        var model = new TwoLevelImputationModel(new TwoLevelCatalog(table));
        var yearByYear = await model.RunAsync(Request(Approach.YearByYear, estimators, kind));
        var temporal = await model.RunAsync(Request(Approach.Temporal, estimators, kind));
        Assert.Equal(yearByYear.Values, temporal.Values);
        Assert.Equal(yearByYear.Rmse, temporal.Rmse);
        Assert.Equal(yearByYear.Model, temporal.Model);
        // The method names the approach; the interval under it is the year-by-year one.
        Assert.Contains(yearByYear.IntervalMethod, temporal.IntervalMethod, StringComparison.Ordinal);
        Assert.Equal([null], temporal.Temporal!.Models.Select(m => m.Distance));
        Assert.Equal(0, temporal.Features.Single(f => f.Indicator == "Tea (neighbouring years)").Importance);
    }
}
