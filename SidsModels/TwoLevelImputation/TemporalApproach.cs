using System.Diagnostics;
using SidsModels.Common;
using SidsModels.Data;
using SidsModels.Statistics;

namespace SidsModels.TwoLevelImputation;

/// <summary>What the temporal approach reuses from the year-by-year pipeline: level one and the selected predictors.</summary>
internal sealed record TemporalInputs(
    IndicatorTable Table,
    TwoLevelRequest Request,
    TrainingData Data,
    FeatureMatrix Training,
    FeatureMatrix Prediction,
    double[] Targets,
    double[] Weights,
    string[] Names,
    long Started,
    long LevelOneDone,
    long SelectionDone,
    bool LevelOneCached);

/// <summary>Rows of a temporal design: the <see cref="TemporalFeatures"/>, the interpolation each residual is measured from, and which input rows were kept.</summary>
public sealed record TemporalDesign(FeatureMatrix X, double[] Interpolated, int[] Rows);

/// <summary>
/// The temporal approach: a country's own neighbouring years of the target, corrected by the year's predictors.
/// Each predicted country's value is the linear interpolation of its own series between the nearest observed
/// years (<see cref="TemporalFeature.Interpolated"/>) plus a residual model: the year-by-year pipeline's grid-searched,
/// SIDS-weighted ensemble, trained on the series' features with target <c>value − interpolation</c> (gross outliers fenced
/// in: <see cref="FenceOutliers"/>). Training rows
/// look like the rows they predict: the predicted countries are grouped by the distance d to their nearest observed
/// year, and for group d the training rows' features are read only from the years at least d away from the target
/// year (the target year itself never). The largest group's grid search (over the depths of the year-by-year model's
/// ensemble) chooses the depth for every group, and a booster's for the year-by-year booster too (whose grid runs first
/// otherwise). Each group's answer blends that (interpolation + residual model) with
/// the year-by-year model, w · year-by-year + (1 − w) · temporal, w on a 0.1 grid chosen by the two models' weighted
/// held-out errors on the group's training rows: a noisy series (growth rates) or a year of shocks leans on the year's other indicators, which
/// reach the answer through the year-by-year model only (a residual model that read them too was slower, and no more
/// accurate: docs/PERFORMANCE.md). Intervals: the answer plus its own held-out residuals' 5% and 95% quantiles on the
/// group's SIDS training rows, but for CV+ (the same blend of both models' CV+ intervals) and for quantile intervals where
/// a forest answers alone (its band, the residual's shifted by the interpolation). Countries with no other observed year of the target
/// (or a group with too few training rows) get the year-by-year model's answer. Random forests of
/// <see cref="Selection.OutOfBagSearch.MinimumTrees"/> trees or more are scored out of bag in both models (held-out
/// predictions, blend and intervals from the trees that left each row out: no fold models and no refit, a sixth of the
/// work). A model with no share in a group's blend is not asked for its intervals; when no country has a usable series
/// the answer is the year-by-year approach's, cross-validated as it is.
/// </summary>
public static class TemporalApproach
{
    /// <summary>A residual model needs this many training rows with a usable year, as the year-by-year model does.</summary>
    public const int MinimumTrainingRows = TwoLevelImputationModel.Folds * 2;

    /// <summary>The name the temporal features' importance goes under, in the importances and the category pie.</summary>
    public static string FeatureName(IndicatorTable table, string target) =>
        (table.MetaByCode.TryGetValue(target, out var meta) ? meta.Name : target) + " (neighbouring years)";

    /// <summary>
    /// The design of <paramref name="rows"/> (positions in <paramref name="countries"/>): the temporal features of each
    /// row's country's series of <paramref name="target"/> read at least <paramref name="gap"/> years from
    /// <paramref name="yearIndex"/>. Rows whose series has no such year are left out.
    /// </summary>
    public static TemporalDesign Design(IndicatorTable table, int target, int yearIndex, IReadOnlyList<int> countries, IReadOnlyList<int> rows, int gap)
    {
        const int width = TemporalFeatures.Width;
        var values = new double[rows.Count * width];
        var interpolated = new double[rows.Count];
        var kept = new int[rows.Count];
        var series = new double[table.Years.Count];
        var n = 0;
        foreach (var row in rows)
        {
            for (var y = 0; y < series.Length; y++)
            {
                series[y] = table.Value(countries[row], target, y);
            }
            if (TemporalFeatures.Compute(series, yearIndex, gap) is not { } feature)
            {
                continue;
            }
            feature.Write(values.AsSpan(n * width, width));
            interpolated[n] = feature.Interpolated;
            kept[n++] = row;
        }
        return new TemporalDesign(new FeatureMatrix(n, width, values[..(n * width)]), interpolated[..n], kept[..n]);
    }

    /// <summary>One model of the answer, with the predicted rows it answered for and its importances over the predictors then the temporal features (summed).</summary>
    /// <param name="YearByYearShare">The year-by-year model's share of the part's answers (1 for the countries without a usable year).</param>
    private sealed record Part(int? Distance, int[] Rows, int TrainingRows, int TrainingSids, TwoLevelImputationModel.LevelTwoFit Fit, double[] Importances,
        double YearByYearShare);

    /// <summary>
    /// The predicted countries at one distance from their nearest observed year, the designs of its training and predicted
    /// rows, and per training row whether it is a SIDS and its weight (the SIDS as much as the others together).
    /// </summary>
    private sealed record DistanceGroup(int Gap, int[] QueryRows, TemporalDesign Train, TemporalDesign Query, bool[] IsSids, double[] Weights);

    internal static TwoLevelResult Run(TemporalInputs inputs, CancellationToken cancellationToken)
    {
        var (table, request, data) = (inputs.Table, inputs.Request, inputs.Data);
        var yearIndex = table.YearIndexOf(request.TargetYear);
        var target = table.IndicatorIndexOf(request.Target);
        var m = inputs.Prediction.Rows;
        var distances = new int?[m];
        for (var p = 0; p < m; p++)
        {
            distances[p] = TemporalFeatures.NearestObservedDistance(table.Series(data.PredictionCountries[p], target), yearIndex);
        }

        var predictions = new double[m];
        var lower = new double[m];
        var upper = new double[m];
        var parts = new List<Part>();
        var fallback = Enumerable.Range(0, m).Where(p => distances[p] is null).ToList();
        var allTraining = Enumerable.Range(0, inputs.Training.Rows).ToArray();
        // The largest group (ties: the nearest) runs the grid search; the others reuse its choice, which keeps
        // a temporal answer about as fast as a year-by-year one however many distances its countries have.
        var groups = new List<DistanceGroup>();
        foreach (var gap in distances.OfType<int>().GroupBy(d => d).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key))
        {
            var queryRows = Enumerable.Range(0, m).Where(p => distances[p] == gap).ToArray();
            var train = Design(table, target, yearIndex, data.TrainingCountries, allTraining, gap);
            if (train.Rows.Length < MinimumTrainingRows)
            {
                fallback.AddRange(queryRows);
                continue;
            }
            var isSids = train.Rows.Select(r => data.TrainingIsSids[r]).ToArray();
            groups.Add(new DistanceGroup(gap, queryRows, train, Design(table, target, yearIndex, data.PredictionCountries, queryRows, gap),
                isSids, TrainingData.GroupWeights(isSids)));
        }
        cancellationToken.ThrowIfCancellationRequested();
        // The year-by-year model of every predicted country: the answer for those without a usable year, and the
        // other half of each distance group's blend. Random forests and extra trees (each tree then on a bootstrap
        // sample) are scored out of bag in a temporal answer (a sixth of a 5-fold grid's work: docs/PERFORMANCE.md),
        // unless no country has a usable series: then the answer is exactly the year-by-year approach's.
        // A booster's largest group searches its depths first, and the year-by-year booster and the other groups take its
        // choice; the residual boosters are bounded by their own held-out residuals. Two grids of cross-validated boosters
        // and a booster's quantile intervals (12 fits) per model made a temporal `gbr` answer 1.7 times a year-by-year one;
        // the residual models taking the year-by-year grid's depth instead were less accurate (docs/PERFORMANCE.md, session 24).
        // With `all` the year-by-year search comes first: it chooses the ensemble the residual models search.
        var booster = request.Model == ModelKind.GradientBoosting;
        TwoLevelImputationModel.LevelTwoFit Residual(DistanceGroup group, int? candidate, ModelKind kind)
        {
            var train = group.Train;
            var residuals = new double[train.Rows.Length];
            for (var i = 0; i < residuals.Length; i++)
            {
                residuals[i] = inputs.Targets[train.Rows[i]] - train.Interpolated[i];
            }
            // With `all`, the residual models search the year-by-year model's ensemble only (every depth): on four panels
            // as accurate as the three ensembles' grid (NRMSE summed over 12 cells 1.745 against 1.737), at a third of it.
            // A squared-loss residual booster's held-out MSE mostly falls with depth and then rises: searching the depths upwards
            // and stopping at the first worse one chose the whole grid's depth in all 120 grids logged on seeds 31-33 and in all
            // but 2 of about 140 target-years on seeds 13 and 21-23 (there a shallower one, NRMSE equal or lower), at a third of
            // the grid's time (docs/PERFORMANCE.md, session 26). Quantile boosters search every depth: 8 of 120 would choose otherwise.
            return TwoLevelImputationModel.FitLevelTwo(request, train.X, FenceOutliers(residuals), group.Weights, group.IsSids,
                group.Query.X, cancellationToken, candidate, kind, outOfBag: true, observedTargets: residuals, boosterDepthsUntilWorse: true);
        }
        var largest = booster && groups.Count > 0 ? Residual(groups[0], null, ModelKind.GradientBoosting) : null;
        var yearByYear = TwoLevelImputationModel.FitLevelTwo(request, inputs.Training, inputs.Targets, inputs.Weights, data.TrainingIsSids,
            inputs.Prediction, cancellationToken, largest?.Candidate, outOfBag: groups.Count > 0);
        var yearByYearHeldOut = yearByYear.Search.OutOfFoldPredictions[yearByYear.Search.BestIndex];
        var yearByYearImportances = yearByYear.Search.BestModel.FeatureImportances;
        int? chosen = largest?.Candidate;
        for (var g = 0; g < groups.Count; g++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (gap, queryRows, train, query, isSids, weights) = groups[g];
            var fit = (g == 0 ? largest : null) ?? Residual(groups[g], chosen, yearByYear.Kind);
            chosen ??= fit.Candidate;
            // Where a series says less than the year's other indicators (growth rates, shocks), the blend leans on the latter.
            // Judged as the models were trained (the SIDS count as much as the others together). On the SIDS rows alone the
            // choice was noisier: seed 12's random panel 0.179 → 0.194, seed 13's 0.177 → 0.127 (docs/PERFORMANCE.md).
            // By absolute error: a squared error let one training row carry the share (seed 20's panel, FDI % of GDP in
            // 2005: Malta at 341, 0.8 to a year-by-year model that put Antigua at 166 where its series said 16).
            var residualHeldOut = fit.Search.OutOfFoldPredictions[fit.Search.BestIndex];
            var share = YearByYearShare(residualHeldOut, train.Interpolated, yearByYearHeldOut, inputs.Targets, train.Rows, weights);
            // The answer's own held-out residuals on the group's SIDS rows bound it, but for CV+ and a forest's quantile band where
            // one model answers alone. Blending the two models' bounds covered 0.95 (bootstrap) and 0.965 (quantile) of hidden SIDS
            // values, residual bounds at the conformal ranks of about 30 SIDS (their smallest and largest) 0.946; a booster's own
            // quantile band is 12 more fits (docs/PERFORMANCE.md, sessions 24 and 25). Both models of a group are of one ensemble.
            var range = request.Interval == IntervalKind.Conformal
                        || request.Interval == IntervalKind.Quantile && share is 0 or 1 && fit.Kind != ModelKind.GradientBoosting
                ? ((double Low, double High)?)null
                : PredictionIntervals.HeldOutResidualRange(IntervalInputs.CalibrationRows(isSids, isSids.Length).Select(i =>
                    inputs.Targets[train.Rows[i]] - BlendedHeldOut(share, residualHeldOut[i], train.Interpolated[i], yearByYearHeldOut[train.Rows[i]])));
            // A model with no share in the blend is not asked for its intervals (a year-by-year booster's quantile ones are 12 fits).
            var (own, other) = range is null ? (share < 1 ? fit.Bounds : null, share > 0 ? yearByYear.Bounds : null) : (null, null);
            for (var i = 0; i < queryRows.Length; i++)
            {
                var shift = query.Interpolated[i];
                var row = queryRows[i];
                predictions[row] = Blend(share, shift + fit.Predictions[i], yearByYear.Predictions[row]);
                (lower[row], upper[row]) = range is { } r
                    ? (predictions[row] + r.Low, predictions[row] + r.High)
                    : (Blend(share, shift + own?.Lower[i], other?.Lower[row]), Blend(share, shift + own?.Upper[i], other?.Upper[row]));
            }
            // The residual model reads the series only: its part of the answer is the temporal features'.
            var importances = new double[inputs.Names.Length + 1];
            importances[^1] = (1 - share) * fit.Search.BestModel.FeatureImportances.Sum();
            for (var c = 0; c < yearByYearImportances.Count; c++)
            {
                importances[c] += share * yearByYearImportances[c];
            }
            parts.Add(new Part(gap, queryRows, train.Rows.Length, isSids.Count(s => s), fit, importances, share));
        }
        if (fallback.Count > 0 || parts.Count == 0)
        {
            var rows = fallback.Order().ToArray();
            foreach (var row in rows)
            {
                (predictions[row], lower[row], upper[row]) = (yearByYear.Predictions[row], yearByYear.Bounds.Lower[row], yearByYear.Bounds.Upper[row]);
            }
            parts.Add(new Part(null, rows, inputs.Training.Rows, data.TrainingIsSids.Count(s => s), yearByYear,
                [.. yearByYearImportances, 0.0], 1));
        }

        parts.Sort((a, b) => (a.Distance ?? int.MaxValue).CompareTo(b.Distance ?? int.MaxValue));
        // The answer's model figures are those of the model that predicted the most countries; importances are
        // the models' importances weighted by the countries each predicted.
        var main = parts.MaxBy(p => p.Rows.Length)!;
        var total = parts.Sum(p => p.Rows.Length);
        var combined = new double[inputs.Names.Length + 1];
        foreach (var part in parts)
        {
            var share = total == 0 ? 1.0 / parts.Count : (double)part.Rows.Length / total;
            for (var c = 0; c < combined.Length; c++)
            {
                combined[c] += share * part.Importances[c];
            }
        }
        // The year-by-year model ran whether or not it answered a country alone: its time counts once.
        var fits = parts.Select(p => p.Fit).Where(f => !ReferenceEquals(f, yearByYear)).Append(yearByYear).ToArray();
        var temporalName = FeatureName(table, request.Target);
        var features = inputs.Names.Append(temporalName).Select((n, i) => new FeatureImportance(n, combined[i])).ToArray();
        var categories = TwoLevelImputationModel.Categories(table, inputs.Names, combined[..inputs.Names.Length])
            .Append(new CategoryImportance(temporalName, combined[^1])).ToArray();
        var rmse = Math.Sqrt(main.Fit.HeldOut.MeanMse);
        var summary = new TemporalSummary(
            distances.Select((d, p) => new CountryDistance(table.Countries[data.PredictionCountries[p]], d)).ToArray(),
            parts.Select(p => new TemporalModel(p.Distance, p.Rows.Select(r => table.Countries[data.PredictionCountries[r]]).ToArray(), p.TrainingRows,
                Math.Sqrt(p.Fit.HeldOut.MeanMse), p.Fit.Chosen(request), p.YearByYearShare)).ToArray());
        // The method of the models' own intervals where they were read (the largest part's first), without computing any.
        var modelsMethod = parts.Select(p => p.Fit).Prepend(main.Fit).FirstOrDefault(f => f.Bounding.IsValueCreated)?.Bounds.Method;
        var heldOutRange = "the answer plus the 5% and 95% quantiles of its held-out residuals on those rows (their SIDS)";
        var method = "Temporal: each country's linear interpolation between its nearest observed years, plus a model of the residual (its gross outliers clamped) trained on "
            + "rows hiding the same gap, blended with the year-by-year model in the proportion that best predicts those rows held out. "
            + request.Interval switch
            {
                IntervalKind.Bootstrap => $"The interval: {heldOutRange}.",
                IntervalKind.Quantile => $"The interval: where the two models are blended or a booster answers, {heldOutRange}; elsewhere the forest's own.",
                _ => "The interval: the same blend of the two models' intervals.",
            }
            + (modelsMethod is null ? "" : " " + modelsMethod)
            + (parts.Any(p => p.Distance is null) ? " Countries with no usable observed year: the year-by-year model." : "");
        return new TwoLevelResult(
            request,
            TwoLevelImputationModel.Values(table, data, request, predictions, new IntervalBounds(lower, upper, method)),
            features,
            categories,
            TwoLevelImputationModel.Correlations(inputs.Names, inputs.Training, cancellationToken),
            rmse,
            TwoLevelImputationModel.RmseDeviation(rmse, inputs.Targets),
            main.Fit.Chosen(request),
            new SampleSizes(main.TrainingRows, main.TrainingSids, m, features.Length),
            main.Fit.HeldOut,
            method,
            new StageTimings(Stopwatch.GetElapsedTime(inputs.Started, inputs.LevelOneDone), Stopwatch.GetElapsedTime(inputs.LevelOneDone, inputs.SelectionDone),
                TimeSpan.FromTicks(fits.Sum(f => f.SearchTime.Ticks)), TimeSpan.FromTicks(fits.Sum(f => f.IntervalTime.Ticks)),
                Stopwatch.GetElapsedTime(inputs.Started), inputs.LevelOneCached),
            summary);
    }

    /// <summary>share · <paramref name="yearByYear"/> + (1 − share) · <paramref name="temporal"/>, reading only the parts with a share.</summary>
    private static double Blend(double share, double? temporal, double? yearByYear) => share switch
    {
        0 => temporal!.Value,
        1 => yearByYear!.Value,
        _ => (1 - share) * temporal!.Value + share * yearByYear!.Value,
    };

    /// <summary>A training row's held-out blended answer: the residual model's held-out prediction plus the row's interpolation, and the year-by-year model's.</summary>
    private static double BlendedHeldOut(double share, double residualHeldOut, double interpolated, double yearByYearHeldOut) =>
        (1 - share) * (interpolated + residualHeldOut) + share * yearByYearHeldOut;

    /// <summary>How far beyond the residuals' 5th–95th percentile range, in widths of that range, a residual is learned as it is.</summary>
    internal const double Fence = 1;

    /// <summary>
    /// The residuals a residual model learns: each clamped to [q5 − k(q95 − q5), q95 + k(q95 − q5)], k = <see cref="Fence"/>
    /// (for normal residuals, beyond 4.9 standard deviations). One training country's jump (the Faroe Islands' fertiliser
    /// use 4,703 → 10,266 → 2,031 kg/ha around 2013, a residual of 6,898 where the 95th percentile is 54) otherwise
    /// becomes a leaf that a SIDS whose series also jumped falls into: Seychelles at 2,995 against a true 347 (seed 21's
    /// panel, docs/PERFORMANCE.md). The held-out errors the intervals and the blend are measured by stay the real ones.
    /// </summary>
    internal static double[] FenceOutliers(double[] residuals)
    {
        var q = Quantiles.Linear(residuals, [0.05, 0.95]);
        var width = q[1] - q[0];
        var learned = new double[residuals.Length];
        for (var i = 0; i < residuals.Length; i++)
        {
            learned[i] = Math.Clamp(residuals[i], q[0] - Fence * width, q[1] + Fence * width);
        }
        return learned;
    }

    /// <summary>
    /// The year-by-year model's share w of a blend w · year-by-year + (1 − w) · (interpolation + residual model), on a
    /// 0.1 grid: the one with the least weighted held-out absolute error on the residual model's training rows; ties to the
    /// smaller share (the temporal model).
    /// </summary>
    /// <param name="residualHeldOut">The residual model's held-out predictions of the group's training rows.</param>
    /// <param name="interpolated">Those rows' interpolations (what the residual is measured from).</param>
    /// <param name="yearByYearHeldOut">The year-by-year model's held-out predictions, by position among all training rows.</param>
    /// <param name="rows">The group's training rows: positions among all training rows, as <paramref name="targets"/> is indexed.</param>
    internal static double YearByYearShare(double[] residualHeldOut, double[] interpolated, double[] yearByYearHeldOut,
        double[] targets, int[] rows, double[] weights)
    {
        var best = (Share: 0.0, Error: double.PositiveInfinity);
        for (var step = 0; step <= 10; step++)
        {
            var share = step / 10.0;
            var error = 0.0;
            for (var i = 0; i < rows.Length; i++)
            {
                error += weights[i] * Math.Abs(targets[rows[i]] - BlendedHeldOut(share, residualHeldOut[i], interpolated[i], yearByYearHeldOut[rows[i]]));
            }
            if (error < best.Error)
            {
                best = (share, error);
            }
        }
        return best.Share;
    }
}
