using System.Text;
using System.Text.Json.Nodes;
using SidsFunctions.TimeEstimates;

namespace SidsFunctions.Tests.TimeEstimates;

/// <summary>
/// The estimate for a request's own settings from a scheme's line of time_consumption. Expected figures by
/// hand: KNN/rfr rows 10 trees 2 s (×2), 100 trees 11 s (×1): weighted means 40 trees, 5 s; covariance
/// 2·(−30)(−3) + 1·60·6 = 540, variance 2·900 + 3600 = 5400, slope 0.1 s per tree, so 1,000 trees 5 + 0.1·960 = 101 s.
/// The temporal rows are not among a year-by-year request's: every year-by-year figure would change if they were.
/// </summary>
public sealed class SettingsEstimateTests
{
    private const string YearByYear = "year_by_year";
    private const string Temporal = "temporal";

    private static readonly SchemeTime Afs = new("AFS", 30, 12, Settings:
    [
        new SettingsTime("KNNImputer", "rfr", 10, 10, 2, 2, YearByYear),
        new SettingsTime("KNNImputer", "rfr", 100, 10, 11, 1, YearByYear),
        new SettingsTime("KNNImputer", "all", 500, 10, 60, 1, YearByYear),
        new SettingsTime("IterativeImputer", "rfr", 100, 10, 40, 3, YearByYear),
        new SettingsTime("IterativeImputer", "rfr", 100, 20, 52, 2, YearByYear),
        new SettingsTime("KNNImputer", "rfr", 100, 10, 4, 2, Temporal),
        new SettingsTime("KNNImputer", "gbr", 100, 10, 9, 1, Temporal),
    ]);

    private static PredictSettings Knn(string model, int trees, int predictors = 10, string? approach = null) =>
        new("AFS", "KNNImputer", model, trees, predictors, approach);

    [Fact]
    public void ExactSettingsAnswerTheirOwnMean()
    {
        Assert.Equal(2, SettingsEstimate.Seconds(Afs, Knn("rfr", 10)));
        Assert.Equal(11, SettingsEstimate.Seconds(Afs, Knn("RFR", 100)));
        Assert.Equal(52, SettingsEstimate.Seconds(Afs, new PredictSettings("AFS", "iterativeimputer", "rfr", 100, 20)));
        Assert.Equal(11, SettingsEstimate.Seconds(Afs, Knn("rfr", 100, approach: YearByYear)));
        Assert.Equal(4, SettingsEstimate.Seconds(Afs, Knn("rfr", 100, approach: Temporal)));
    }

    [Fact]
    public void ATemporalRequestReadsTheTemporalRows()
    {
        // KNN/rfr temporal has one tree count: its mean, whatever the trees.
        Assert.Equal(4, SettingsEstimate.Seconds(Afs, Knn("rfr", 1000, approach: Temporal)));
        // Another model: the temporal KNN rows, one tree count, (2·4 + 9) / 3.
        Assert.Equal((2 * 4 + 9) / 3.0, SettingsEstimate.Seconds(Afs, Knn("etr", 100, approach: Temporal)), 9);
        // No temporal row of the interpolator: the scheme's mean, not the year-by-year rows'.
        Assert.Equal(30, SettingsEstimate.Seconds(Afs, new PredictSettings("AFS", "IterativeImputer", "rfr", 100, 10, Temporal)));
    }

    [Fact]
    public void WithoutRowsOfItsApproachARequestReadsTheOtherApproachsRows()
    {
        var yearByYearOnly = Afs with { Settings = [.. Afs.Settings!.Where(r => r.Approach == YearByYear)] };
        Assert.Equal(2, SettingsEstimate.Seconds(yearByYearOnly, Knn("rfr", 10, approach: Temporal)));
        Assert.Equal(101, SettingsEstimate.Seconds(yearByYearOnly, Knn("rfr", 1000, approach: Temporal)), 9);
        var temporalOnly = Afs with { Settings = [.. Afs.Settings!.Where(r => r.Approach == Temporal)] };
        Assert.Equal(9, SettingsEstimate.Seconds(temporalOnly, Knn("gbr", 100)));
    }

    [Fact]
    public void OtherTreeCountsFollowTheLineThroughTheSameInterpolatorAndModel()
    {
        Assert.Equal(101, SettingsEstimate.Seconds(Afs, Knn("rfr", 1000)), 9);
        Assert.Equal(5 + 0.1 * (500 - 40), SettingsEstimate.Seconds(Afs, Knn("rfr", 500)), 9);
        // Another predictor count of the same interpolator and model: the same line (no rows of its own count).
        Assert.Equal(101, SettingsEstimate.Seconds(Afs, Knn("rfr", 1000, predictors: 5)), 9);
    }

    [Fact]
    public void WithOneTreeCountTheNearestSettingsMeanAnswers()
    {
        // KNN/all has one row: its mean, whatever the trees.
        Assert.Equal(60, SettingsEstimate.Seconds(Afs, Knn("all", 1000)));
        // Iterative/rfr rows all have 100 trees: their count-weighted mean over predictor counts, (3·40 + 2·52) / 5.
        Assert.Equal((3 * 40 + 2 * 52) / 5.0, SettingsEstimate.Seconds(Afs, new PredictSettings("AFS", "IterativeImputer", "rfr", 1000, 5)), 9);
    }

    [Fact]
    public void AnotherModelUsesTheInterpolatorsRowsAndAnUnseenInterpolatorTheSchemeMean()
    {
        // KNN rows of every model: 10 (×2, 2 s), 100 (×1, 11 s), 500 (×1, 60 s); the line read at 100 trees.
        var rows = new (double Trees, double Seconds, int Count)[] { (10, 2, 2), (100, 11, 1), (500, 60, 1) };
        var w = rows.Sum(r => r.Count);
        var mt = rows.Sum(r => r.Count * r.Trees) / w;
        var ms = rows.Sum(r => r.Count * r.Seconds) / w;
        var slope = rows.Sum(r => r.Count * (r.Trees - mt) * (r.Seconds - ms)) / rows.Sum(r => r.Count * (r.Trees - mt) * (r.Trees - mt));
        Assert.Equal(ms + slope * (100 - mt), SettingsEstimate.Seconds(Afs, Knn("gbr", 100)), 9);
        Assert.Equal(30, SettingsEstimate.Seconds(Afs, new PredictSettings("AFS", "SimpleImputer", "rfr", 100, 10)));
        Assert.Equal(30, SettingsEstimate.Seconds(Afs, new PredictSettings("AFS")));
    }

    [Fact]
    public void TheIntervalIsMatchedWhenTheRowsKnowIt()
    {
        // A forest's bootstrap intervals refit it on 3 folds, its quantile ones reuse the grid's: 30 s against 10 s.
        var scheme = new SchemeTime("AFS", 20, 6, Settings:
        [
            new SettingsTime("KNNImputer", "rfr", 100, 10, 30, 1, YearByYear, "bootstrap"),
            new SettingsTime("KNNImputer", "rfr", 100, 10, 10, 2, YearByYear, "quantile"),
            new SettingsTime("KNNImputer", "rfr", 1000, 10, 100, 1, YearByYear, "quantile"),
            new SettingsTime("KNNImputer", "gbr", 100, 10, 20, 1, YearByYear),
            new SettingsTime("KNNImputer", "gbr", 100, 10, 25, 1, YearByYear, "bootstrap"),
        ]);
        PredictSettings Asked(string model, int trees, string interval) => new("AFS", "KNNImputer", model, trees, 10, YearByYear, interval);
        Assert.Equal(30, SettingsEstimate.Seconds(scheme, Asked("rfr", 100, "bootstrap")));
        Assert.Equal(10, SettingsEstimate.Seconds(scheme, Asked("rfr", 100, "quantile")));
        // Another tree count: the line through the rows of the interval (quantile: 10 s at 100 trees, 100 s at 1,000: 0.1 s a tree).
        Assert.Equal(10 + 0.1 * (500 - 100), SettingsEstimate.Seconds(scheme, Asked("rfr", 500, "quantile")), 9);
        // Bootstrap has one tree count: its mean.
        Assert.Equal(30, SettingsEstimate.Seconds(scheme, Asked("rfr", 500, "bootstrap")));
        // A row of the request's interval before one of unknown interval; that one for any other.
        Assert.Equal(25, SettingsEstimate.Seconds(scheme, Asked("gbr", 100, "bootstrap")));
        Assert.Equal(20, SettingsEstimate.Seconds(scheme, Asked("gbr", 100, "quantile")));
    }

    [Fact]
    public void ALineTiltedDownByNoiseFallsBackToTheMean()
    {
        var noisy = new SchemeTime("PCA", 9, 3, Settings: [new("KNNImputer", "rfr", 10, 5, 12, 1, YearByYear), new("KNNImputer", "rfr", 100, 5, 6, 2, YearByYear)]);
        Assert.Equal((12 + 2 * 6) / 3.0, SettingsEstimate.Seconds(noisy, new PredictSettings("PCA", "KNNImputer", "rfr", 1000, 5)), 9);
    }

    [Fact]
    public void APythonBackendLineHasOnlyTheSchemeMean()
    {
        var python = TimeConsumption.Parse(Encoding.UTF8.GetBytes(TimeEstimateAggregatorTests.PythonDocument));
        Assert.Equal(477.5, SettingsEstimate.Seconds(python.Schemes[0], Knn("all", 1000)));
    }

    [Fact]
    public void SettingsRowsRoundTripNestedInTheSchemesLineAndBadRowsAreSkipped()
    {
        var document = new TimeConsumption([Afs with { MedianSeconds = 11, P90Seconds = 52 }]);
        var json = JsonNode.Parse(document.ToJson())!;
        var line = json["value"]!.AsArray().Single()!;
        // The Python backend's fields stay where older readers look for them.
        Assert.Equal(("AFS", 30.0), (line["scheme_e"]!.GetValue<string>(), line["avg_time_parsed"]!.GetValue<double>()));
        Assert.Equal("{\"interpolator\":\"KNNImputer\",\"model\":\"rfr\",\"estimators\":10,\"predictors\":10,\"approach\":\"year_by_year\",\"avg_time_parsed\":2,\"count\":2}",
            line["settings"]![0]!.ToJsonString());
        Assert.Equal("temporal", line["settings"]![5]!["approach"]!.GetValue<string>());
        var withInterval = new SettingsTime("KNNImputer", "rfr", 10, 10, 2, 2, YearByYear, "bootstrap");
        var reread = TimeConsumption.Parse(new TimeConsumption([new SchemeTime("AFS", 2, 2, Settings: [withInterval])]).ToJson());
        Assert.Equal([withInterval], reread.Schemes.Single().Settings);
        Assert.Equal(Afs.Settings, TimeConsumption.Parse(document.ToJson()).Schemes.Single().Settings);

        var bad = TimeConsumption.Parse(Encoding.UTF8.GetBytes(
            "{\"value\":[{\"scheme_e\":\"AFS\",\"avg_time_parsed\":3,\"settings\":[{\"interpolator\":\"KNNImputer\",\"model\":\"rfr\",\"estimators\":10,\"predictors\":5,\"avg_time_parsed\":-1,\"count\":1},"
            + "{\"interpolator\":\"KNNImputer\",\"estimators\":10,\"predictors\":5,\"avg_time_parsed\":1,\"count\":1},"
            + "{\"interpolator\":\"KNNImputer\",\"model\":\"rfr\",\"estimators\":10,\"predictors\":5,\"avg_time_parsed\":4,\"count\":0},"
            + "{\"interpolator\":\"KNNImputer\",\"model\":\"rfr\",\"estimators\":10,\"predictors\":5,\"avg_time_parsed\":2,\"count\":1}]}]}"));
        // A row without an approach (written before approaches were recorded) is year by year; without an interval, of any.
        Assert.Equal([new SettingsTime("KNNImputer", "rfr", 10, 5, 2, 1, YearByYear)], bad.Schemes.Single().Settings);
    }
}
