using SidsFunctions.Hosting.Requests;

namespace SidsFunctions.TimeEstimates;

/// <summary>
/// What a predict's duration depends on, as the platform's form sets it: the scheme, the interpolator, the
/// model, the trees and the predictor count (number_predictor, or how many manual predictors); the approach
/// (a temporal answer takes 0.4–3 × a year-by-year one's time) and the interval (year-by-year `rfr` answers with
/// bootstrap intervals took 2.6 × those with quantile ones: docs/PERFORMANCE.md). Null fields are unknown (an estimate
/// for the scheme alone); a null approach is the default, year by year.
/// </summary>
public sealed record PredictSettings(string Scheme, string? Interpolator = null, string? Model = null, int? Estimators = null, int? Predictors = null,
    string? Approach = null, string? Interval = null)
{
    /// <summary>The approach of a request that names none, and of a recorded duration or settings row from before approaches were recorded.</summary>
    public static readonly string DefaultApproach = EnumValues.Name(SidsModels.TwoLevelImputation.Approach.YearByYear);

    public string ApproachOrDefault => Approach ?? DefaultApproach;
}

/// <summary>
/// The estimate of a predict from its scheme's line of <c>time_consumption</c>, the closest the recorded
/// durations come to the request's own settings:
/// <list type="number">
/// <item>the mean of the predicts with exactly these settings;</item>
/// <item>else, among the predicts with the same interpolator and model, a line of seconds against trees
/// (least squares over the settings means, weighted by their counts: level one and selection do not depend on
/// the trees, the grid search and the intervals grow with them), read at the request's trees, over the rows
/// with the same predictor count when those span two tree counts; with one tree count only, its mean;</item>
/// <item>else the same over the predicts with the same interpolator, whatever the model;</item>
/// <item>else the scheme's mean (<c>avg_time_parsed</c>, all a Python backend document has).</item>
/// </list>
/// Steps 1–3 read the rows of the request's approach when the scheme has any, else every row (an estimate of another
/// approach's settings is closer than the scheme's mean). A row of unknown interval (written before intervals were
/// recorded) matches any in step 1, after one of the request's own; steps 2 and 3 read the rows of the request's interval
/// among theirs when there are any.
/// When one combination of settings made every predict of the scheme, steps 1 and 4 agree exactly: both are
/// the mean of the same durations, summed in the same (sorted) order.
/// </summary>
public static class SettingsEstimate
{
    public static double Seconds(SchemeTime scheme, PredictSettings settings)
    {
        IReadOnlyList<SettingsTime> all = scheme.Settings ?? [];
        var ofApproach = all.Where(r => SettingsTime.Same(r.Approach, settings.ApproachOrDefault)).ToArray();
        var rows = ofApproach.Length > 0 ? ofApproach : all;
        if (rows.Count == 0 || settings.Interpolator is null)
        {
            return scheme.AverageSeconds;
        }
        if (rows.Where(r => r.Matches(settings)).OrderBy(r => r.Interval is null).FirstOrDefault() is { } exact)
        {
            return exact.AverageSeconds;
        }
        var sameInterpolator = rows.Where(r => SettingsTime.Same(r.Interpolator, settings.Interpolator)).ToArray();
        var sameModel = sameInterpolator.Where(r => SettingsTime.Same(r.Model, settings.Model)).ToArray();
        return FromTrees(OfInterval(sameModel, settings), settings) ?? FromTrees(OfInterval(sameInterpolator, settings), settings) ?? scheme.AverageSeconds;
    }

    /// <summary>The rows of the request's interval when there are any, else all of them.</summary>
    private static SettingsTime[] OfInterval(SettingsTime[] rows, PredictSettings settings)
    {
        var same = rows.Where(r => r.Interval is not null && SettingsTime.Same(r.Interval, settings.Interval)).ToArray();
        return same.Length > 0 ? same : rows;
    }

    /// <summary>Seconds at the request's trees from rows of other settings (null without rows).</summary>
    private static double? FromTrees(SettingsTime[] rows, PredictSettings settings)
    {
        if (rows.Length == 0)
        {
            return null;
        }
        var samePredictors = rows.Where(r => r.Predictors == settings.Predictors).ToArray();
        var basis = DistinctTrees(samePredictors) >= 2 ? samePredictors : rows;
        var (weights, meanTrees, meanSeconds) = (0.0, 0.0, 0.0);
        foreach (var row in basis)
        {
            weights += row.Count;
            meanTrees += row.Count * row.Estimators;
            meanSeconds += row.Count * row.AverageSeconds;
        }
        meanTrees /= weights;
        meanSeconds /= weights;
        if (DistinctTrees(basis) < 2 || settings.Estimators is not { } trees)
        {
            return meanSeconds;
        }
        var (covariance, variance) = (0.0, 0.0);
        foreach (var row in basis)
        {
            covariance += row.Count * (row.Estimators - meanTrees) * (row.AverageSeconds - meanSeconds);
            variance += row.Count * (row.Estimators - meanTrees) * (row.Estimators - meanTrees);
        }
        // Noise can tilt a line down; more trees never take less time, so then the mean is the better guess.
        var slope = covariance / variance;
        var seconds = meanSeconds + slope * (trees - meanTrees);
        return slope >= 0 && seconds > 0 ? seconds : meanSeconds;
    }

    private static int DistinctTrees(SettingsTime[] rows) => rows.Select(r => r.Estimators).Distinct().Count();
}
