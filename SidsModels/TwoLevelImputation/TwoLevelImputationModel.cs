using System.Diagnostics;
using SidsModels.Common;
using SidsModels.Data;
using SidsModels.Ensembles;
using SidsModels.Imputation;
using SidsModels.Selection;
using SidsModels.Statistics;

namespace SidsModels.TwoLevelImputation;

/// <summary>
/// The two-level imputation model: fills a SIDS indicator's missing values for one year. Level one builds
/// the countries × predictors table (<see cref="TrainingData"/>) and fills its gaps (KNN inside min-max
/// scaling, column means, or iterative extra-trees regression), fitted on the training rows. Level two
/// chooses predictors (recursive feature elimination with a random forest, supervised PCA, or the user's), then
/// trains tree ensembles over a depth grid with 5-fold cross-validation, SIDS and other countries weighted
/// equally as groups, and predicts the missing SIDS values with 90% intervals
/// (<see cref="PredictionIntervals"/>). Deterministic: the same request on the same data gives the same
/// answer. Thread-safe: one instance serves all requests.
/// </summary>
public sealed class TwoLevelImputationModel(TwoLevelCatalog catalog)
{
    /// <summary>Level-one results kept (about 0.25 MB each on the WDI data): the slowest step, shared by requests that vary level two only.</summary>
    public const int LevelOneCacheEntries = 32;

    public const int Seed = 7;
    public const int Folds = 5;
    public const int SelectionTrees = 100;

    /// <summary>
    /// Recursive feature elimination ranks with a 25-tree forest while more than 4 × the requested predictors remain
    /// (those rounds only drop the clearly least important of ~170), with the 100-tree forest after: 2.6–3.9 times
    /// less work. On three 20-item random panels (every AFS configuration) the mean NRMSE went 0.685 → 0.653 and no
    /// coverage fell below 0.85 (docs/PERFORMANCE.md). The Python backend's RFE was unseeded, so no answer of its
    /// was reproducible to begin with.
    /// </summary>
    public const int ScreeningTrees = 25;

    public const int ScreeningFactor = 4;
    public const int KnnNeighbours = 5;
    public const int IterativeTrees = 10;

    /// <summary>
    /// Rounds of the iterative imputer, which starts from the scaled KNN imputation (the KNNImputer's level one)
    /// rather than scikit-learn's column means. Hiding 5% of the observed predictor values of six WDI target-years
    /// and imputing them (`bench/IterativeStart`), the error (RMSE over each indicator's spread, averaged): from the
    /// means, 1 round 0.646 and 2 rounds 0.636; from KNN, 1 round 0.642 and 2 rounds 0.644 — the second round
    /// only refits on better-filled predictors, which the KNN start already gives the first. One round costs half:
    /// each is ~150 ten-tree extra-trees fits (scikit-learn's default of 10 rounds, whose tolerance never stops it
    /// on this data, scored 0.383 against 2 rounds' 0.375 on another measure).
    /// </summary>
    public const int IterativeRounds = 1;

    /// <summary>
    /// Rows a node of the iterative imputer's extra trees needs to be split (scikit-learn's default is 2: trees grown
    /// until every leaf is pure). Most of a fully grown tree's nodes hold a few rows, and each costs a pass over every
    /// feature; stopping at 10 rows leaves a third of the nodes. On `bench/IterativeStart`'s six WDI target-years the
    /// error is 0.639 against 0.643 fully grown, at 0.5–0.8 s of CPU per level one against 1.3–1.7 s.
    /// </summary>
    public const int IterativeMinSamplesSplit = 10;

    /// <summary>The Python backend's depth grids (null = unlimited).</summary>
    public static readonly IReadOnlyList<int?> ForestDepths = [5, 10, 20, 100, null];

    public static readonly IReadOnlyList<int?> BoostingDepths = [3, 5, 10, 20, null];

    private readonly SingleFlightCache<LevelOne> levelOne = new(LevelOneCacheEntries);

    /// <summary>AFS and PCA choices (a few integers each), by level one and scheme and count.</summary>
    private readonly SingleFlightCache<int[]> selections = new(LevelOneCacheEntries * 8);

    /// <summary>Level one's result: the training data and its predictors with their gaps filled. Shared read-only.</summary>
    private sealed record LevelOne(TrainingData Data, FeatureMatrix Training, FeatureMatrix Prediction, int[] Columns);

    public async Task<TwoLevelResult> RunAsync(TwoLevelRequest request, CancellationToken cancellationToken = default)
    {
        var table = catalog.Table;
        request = Validate(request);
        var started = Stopwatch.GetTimestamp();
        var key = $"{request.TargetYear}|{request.Target}|{request.Interpolator}";
        var computed = false;
        var (data, training, prediction, columns) = await levelOne.GetOrComputeAsync(key,
            ct => Task.Run(() =>
            {
                computed = true;
                return BuildLevelOne(table, request, ct);
            }, ct), cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var levelOneDone = Stopwatch.GetTimestamp();
        // AFS and PCA choose from the data alone: requests that vary the model or the interval share the choice (and PCA's, the approach).
        var selected = request.Scheme == Scheme.MANUAL
            ? SelectFeatures(request, table, training, data.TargetValues.ToArray(), data.SidsWeights(), columns, cancellationToken)
            : await selections.GetOrComputeAsync($"{key}|{request.Scheme}|{request.NumberPredictor ?? 10}|{ScreensOnce(request)}",
                ct => Task.Run(() => SelectFeatures(request, table, training, data.TargetValues.ToArray(), data.SidsWeights(), columns, ct), ct),
                cancellationToken);
        return Run(table, request, data, training, prediction, columns, selected, started, levelOneDone, !computed, cancellationToken);
    }

    private static LevelOne BuildLevelOne(IndicatorTable table, TwoLevelRequest request, CancellationToken cancellationToken)
    {
        var data = TrainingData.Build(table, table.YearIndexOf(request.TargetYear), request.Target);
        if (data.TrainingCountries.Count < Folds * 2)
        {
            throw new InvalidInputException(
                $"{request.Target} is observed in {data.TrainingCountries.Count} countries in {request.TargetYear}: too few to train and cross-validate a model.",
                "target");
        }
        if (data.Predictors.Count == 0)
        {
            throw new InvalidInputException(
                $"No indicator is observed in at least {100 - TwoLevelCatalog.PredictorMaxMissingPercent}% of the countries that report {request.Target} in {request.TargetYear}.",
                "target");
        }
        var (training, prediction, columns) = Impute(data, request.Interpolator, cancellationToken);
        return new LevelOne(data, training, prediction, columns);
    }

    private static TwoLevelResult Run(IndicatorTable table, TwoLevelRequest request, TrainingData data, FeatureMatrix training,
        FeatureMatrix prediction, int[] columns, int[] selected, long started, long levelOneDone, bool levelOneCached, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var targets = data.TargetValues.ToArray();
        var weights = data.SidsWeights();
        var selectionDone = Stopwatch.GetTimestamp();
        var xTrain = training.SelectColumns(selected);
        var xTest = prediction.SelectColumns(selected);
        // MANUAL features keep the codes the user picked (the pool may hold the other copy of one).
        var names = request.Scheme == Scheme.MANUAL
            ? selected.Select(p => (request.ManualPredictors ?? []).First(code => IndicatorTwins.AreTwins(code, table.Indicators[columns[p]]))).ToArray()
            : selected.Select(p => table.Indicators[columns[p]]).ToArray();

        cancellationToken.ThrowIfCancellationRequested();
        if (request.Approach == Approach.Temporal)
        {
            return TemporalApproach.Run(new TemporalInputs(table, request, data, xTrain, xTest,
                    targets, weights, names, started, levelOneDone, selectionDone, levelOneCached), cancellationToken);
        }
        var fit = FitLevelTwo(request, xTrain, targets, weights, data.TrainingIsSids, xTest, cancellationToken);
        var rmse = Math.Sqrt(fit.HeldOut.MeanMse);
        return new TwoLevelResult(
            request,
            Values(table, data, request, fit.Predictions, fit.Bounds),
            names.Select((n, i) => new FeatureImportance(n, fit.Search.BestModel.FeatureImportances[i])).ToArray(),
            Categories(table, names, fit.Search.BestModel.FeatureImportances),
            Correlations(names, xTrain, cancellationToken),
            rmse,
            RmseDeviation(rmse, targets),
            fit.Chosen(request),
            new SampleSizes(targets.Length, data.TrainingIsSids.Count(s => s), fit.Predictions.Length, names.Length),
            fit.HeldOut,
            fit.Bounds.Method,
            new StageTimings(Stopwatch.GetElapsedTime(started, levelOneDone), Stopwatch.GetElapsedTime(levelOneDone, selectionDone),
                fit.SearchTime, fit.IntervalTime, Stopwatch.GetElapsedTime(started), levelOneCached));
    }

    /// <summary>Level two on one design: the grid-searched model, its predictions of <paramref name="xTest"/> and their intervals.</summary>
    /// <param name="Candidate">The chosen point's index in the request's grid (<see cref="FitLevelTwo"/>'s <c>onlyCandidate</c>).</param>
    /// <param name="HeldOut">The chosen model's held-out MSE per fold and their mean, against the observed targets (those it
    /// learned, unless <see cref="FitLevelTwo"/> was given others to be measured by): what the answer reports.</param>
    /// <param name="Bounding">The intervals, computed on first use: a temporal answer may not need a model's (a distance group
    /// whose blend gives it no share, no country left to the year-by-year model alone), and a booster's take 12 fits.</param>
    internal sealed record LevelTwoFit(GridSearchResult Search, int Candidate, ModelKind Kind, int? MaxDepth, string Loss, double[] Predictions,
        Lazy<(IntervalBounds Bounds, TimeSpan Time)> Bounding, TimeSpan SearchTime, CrossValidationScores HeldOut)
    {
        public IntervalBounds Bounds => Bounding.Value.Bounds;

        /// <summary>Time spent on the intervals: zero when they were never needed.</summary>
        public TimeSpan IntervalTime => Bounding.IsValueCreated ? Bounding.Value.Time : TimeSpan.Zero;

        public ChosenModel Chosen(TwoLevelRequest request) => new(Kind, MaxDepth, request.Estimators, Loss);
    }

    /// <param name="onlyCandidate">Search this point of the request's grid only (still scored, for its RMSE), not the whole grid.</param>
    /// <param name="onlyKind">Search the points of this ensemble only (every depth).</param>
    /// <param name="outOfBag">Score a grid of random forests or of extra trees (then bootstrapped; <see cref="OutOfBagSearch.MinimumTrees"/>
    /// trees or more) out of bag, and bound its predictions the same way, instead of cross-validating it (<see cref="OutOfBagSearch"/>);
    /// boosters are cross-validated, and with `all` each ensemble is searched on its own (the lowest held-out MSE of the three wins).</param>
    /// <param name="boosterDepthsUntilWorse">A grid of squared-loss boosters searches its depths in ascending order and stops
    /// at the first that scores no better (<see cref="GridSearch.Run"/>'s <c>stopAtWorseDepth</c>); other grids search every point.</param>
    internal static LevelTwoFit FitLevelTwo(TwoLevelRequest request, FeatureMatrix xTrain, double[] targets, double[] weights, IReadOnlyList<bool> isSids,
        FeatureMatrix xTest, CancellationToken cancellationToken, int? onlyCandidate = null, ModelKind? onlyKind = null, bool outOfBag = false,
        double[]? observedTargets = null, bool boosterDepthsUntilWorse = false)
    {
        var started = Stopwatch.GetTimestamp();
        // A grid of a few small trees per fit (a MANUAL pick of one or two predictors, 10 trees) takes a few
        // milliseconds in all: on one thread it spends nothing on waking others, and leaves the other cores free.
        var small = (long)request.Estimators * xTrain.Rows * xTrain.Columns <= SmallGridWork;
        var folds = KFold.Split(xTrain.Rows, Folds);
        // Out of bag, each ensemble's points are searched on their own (forests out of bag, boosters cross-validated) and the
        // lowest held-out MSE of their winners wins, ties to the earlier ensemble; otherwise one cross-validated grid.
        outOfBag &= request.Estimators >= OutOfBagSearch.MinimumTrees;
        var candidates = Candidates(request, small ? 1 : null, bootstrapExtraTrees: outOfBag);
        // Positions in the request's grid of the points searched.
        var points = Enumerable.Range(0, candidates.Count)
            .Where(c => onlyCandidate is not { } only || only == c)
            .Where(c => onlyKind is not { } kind || candidates[c].Kind == kind)
            .ToArray();
        var bounded = xTest.Rows > 0;
        var (search, searched, scoredOutOfBag) = outOfBag
            ? points.GroupBy(c => candidates[c].Kind)
                .Select(kind => Search(request, [.. kind.Select(c => candidates[c])], [.. kind], xTrain, targets, weights, folds, small, bounded,
                    outOfBag: true, boosterDepthsUntilWorse, cancellationToken))
                .Aggregate((best, next) => next.Search.BestScore < best.Search.BestScore ? next : best)
            : Search(request, [.. points.Select(c => candidates[c])], points, xTrain, targets, weights, folds, small, bounded,
                outOfBag: false, boosterDepthsUntilWorse, cancellationToken);
        var bestOptions = candidates[searched[search.BestIndex]];
        var searchDone = Stopwatch.GetTimestamp();
        var predictions = xTest.Rows == 0 ? [] : search.BestModel.Predict(xTest);

        IntervalBounds Bound() => xTest.Rows == 0
            ? new IntervalBounds([], [], "")
            : PredictionIntervals.Build(request.Interval, new IntervalInputs(search.Best.FinalLearner, search.BestModel, xTrain, targets, weights, folds, xTest,
                predictions, bestOptions.Kind == ModelKind.GradientBoosting ? alpha => Booster(bestOptions, BoostingLoss.Quantile(alpha)) : null,
                Seed, search.FoldSummaries?[search.BestIndex], isSids,
                scoredOutOfBag ? ((IBootstrapForestLearner)search.Best.FinalLearner).OutOfBag(xTrain.Rows) : null, observedTargets), cancellationToken);
        var bounding = new Lazy<(IntervalBounds, TimeSpan)>(() =>
        {
            var start = Stopwatch.GetTimestamp();
            var bounds = Bound();
            return (bounds, Stopwatch.GetElapsedTime(start));
        });
        return new LevelTwoFit(search, searched[search.BestIndex], bestOptions.Kind, bestOptions.MaxDepth, bestOptions.Loss, predictions, bounding,
            Stopwatch.GetElapsedTime(started, searchDone),
            observedTargets is null ? new CrossValidationScores(search.FoldScores[search.BestIndex], search.BestScore)
                : HeldOutScores(search.OutOfFoldPredictions[search.BestIndex], observedTargets, folds));
    }

    /// <summary>Held-out MSE per fold, as the grid scores them, and their mean.</summary>
    private static CrossValidationScores HeldOutScores(double[] heldOut, double[] observed, IReadOnlyList<Fold> folds)
    {
        var scores = folds.Select(fold => GridSearchResult.FoldMse(observed, heldOut, fold.Test)).ToArray();
        return new CrossValidationScores(scores, GridSearchResult.Mean(scores));
    }

    /// <summary>
    /// One grid over <paramref name="candidates"/> (at <paramref name="points"/> of the request's grid): out of bag when asked
    /// and they are bootstrapped forests, else cross-validated.
    /// </summary>
    private static (GridSearchResult Search, int[] Points, bool OutOfBag) Search(TwoLevelRequest request, Candidate[] candidates, int[] points,
        FeatureMatrix xTrain, double[] targets, double[] weights, IReadOnlyList<Fold> folds, bool small, bool bounded, bool outOfBag,
        bool boosterDepthsUntilWorse, CancellationToken cancellationToken)
    {
        var grid = candidates.Select(c => c.Grid).ToArray();
        boosterDepthsUntilWorse &= candidates.All(c => c.Kind == ModelKind.GradientBoosting && c.Loss == "squared_error");
        outOfBag &= grid.All(g => g.FinalLearner is IBootstrapForestLearner { Bootstrap: true });
        var search = outOfBag
            ? OutOfBagSearch.Run(grid, xTrain, targets, weights, folds, cancellationToken)
            : GridSearch.Run(grid, xTrain, targets, weights, folds, cancellationToken,
                maxParallelism: small ? 1 : null,
                foldSummary: request.Interval == IntervalKind.Quantile && bounded ? PredictionIntervals.HeldOutBand : null,
                stopAtWorseDepth: boosterDepthsUntilWorse);
        return (search, points, outOfBag);
    }

    /// <summary>
    /// The request checks the Python backend made (year, dataset, target, manual predictors), in its order and
    /// words, and what training needs beyond them (at least one usable manual predictor, each once): the request
    /// as the model runs it, or an <see cref="InvalidInputException"/> naming the field.
    /// </summary>
    public TwoLevelRequest Validate(TwoLevelRequest request)
    {
        var year = catalog.ParseYear(request.TargetYear.ToString(System.Globalization.CultureInfo.InvariantCulture));
        catalog.CheckDataset(year, request.Dataset);
        catalog.CheckTarget(year, request.Target);
        return request.Scheme == Scheme.MANUAL
            ? request with { ManualPredictors = catalog.ResolvePredictors(year, request.Target, request.ManualPredictors ?? []) }
            : request;
    }

    /// <summary>The IterativeImputer level one: 10-tree vectorised extra trees, one round, from the scaled KNN imputation.</summary>
    private static IterativeImputer IterativeLevelOne() => new(new IterativeImputerOptions(
        seed => new ExtraTreesLearner(new ForestOptions(Trees: IterativeTrees, Seed: unchecked((int)seed), VectorisedSplits: true,
            MinSamplesSplit: IterativeMinSamplesSplit)),
        MaxIterations: IterativeRounds, Seed: 0, InitialImputer: x => ScaledKnnImputer.Fit(x, KnnNeighbours)));

    /// <summary>Level one: the predictors' gaps filled, fitted on the training rows; the kept columns as table indicator indices.</summary>
    private static (FeatureMatrix Training, FeatureMatrix Prediction, int[] Columns) Impute(TrainingData data, Interpolator interpolator,
        CancellationToken cancellationToken)
    {
        var predictors = data.Predictors.ToArray();
        switch (interpolator)
        {
            case Interpolator.SimpleImputer:
            {
                var imputer = MeanImputer.Fit(data.Training);
                return (imputer.Transform(data.Training), imputer.Transform(data.Prediction), Kept(predictors, imputer.KeptColumns));
            }
            case Interpolator.IterativeImputer:
            {
                var (training, others) = IterativeLevelOne().FitTransform(data.Training, [data.Prediction], cancellationToken);
                return (training, others[0], Kept(predictors, MeanImputer.Fit(data.Training).KeptColumns));
            }
            default:
            {
                var knn = ScaledKnnImputer.Fit(data.Training, KnnNeighbours);
                return (knn.Transform(data.Training, cancellationToken), knn.Transform(data.Prediction, cancellationToken),
                    Kept(predictors, knn.KeptColumns));
            }
        }
    }

    /// <summary>
    /// Whether AFS screens in one round (a temporal answer) rather than one per `count` predictors: the only thing besides
    /// level one, the scheme and the count that changes the predictors <see cref="SelectFeatures"/> picks.
    /// </summary>
    private static bool ScreensOnce(TwoLevelRequest request) => request.Scheme == Scheme.AFS && request.Approach == Approach.Temporal;

    private static int[] Kept(int[] predictors, IReadOnlyList<int> kept) => kept.Select(k => predictors[k]).ToArray();

    /// <summary>Level two's predictors: positions among the imputed columns, in the order the model sees them.</summary>
    private static int[] SelectFeatures(TwoLevelRequest request, IndicatorTable table, FeatureMatrix training, double[] targets, double[] weights,
        int[] columns, CancellationToken cancellationToken)
    {
        switch (request.Scheme)
        {
            case Scheme.MANUAL:
            {
                var codes = request.ManualPredictors ?? [];
                // The pool keeps one copy of each indicator: a pick of the other copy means the same values.
                var positions = codes.Select(code => Array.FindIndex(columns, c => table.Indicators[c] == code) is var exact and >= 0
                    ? exact : Array.FindIndex(columns, c => IndicatorTwins.AreTwins(table.Indicators[c], code))).ToArray();
                var unusable = codes.Where((_, i) => positions[i] < 0).ToArray();
                if (unusable.Length > 0)
                {
                    // Validate keeps only predictors level one keeps; an imputer that dropped one more is still the user's choice at fault.
                    throw TwoLevelCatalog.UnusablePredictors(unusable, request.Target, request.TargetYear);
                }
                return positions.Distinct().ToArray();
            }
            case Scheme.PCA:
                return SupervisedPcaSelection.Select(training, targets, request.NumberPredictor ?? 10);
            default:
            {
                var count = Math.Min(request.NumberPredictor ?? 10, training.Columns);
                // A temporal answer leans on the target's own series (and gives the year-by-year model a share only where the
                // series says little): one screening round instead of one per `count` predictors, which was most of the
                // selection's time, and its answers were as accurate (docs/PERFORMANCE.md, "Temporal approach").
                var elimination = new RecursiveFeatureElimination(
                    new RandomForestLearner(new ForestOptions(Trees: SelectionTrees, Seed: Seed)), count, step: count,
                    new RandomForestLearner(new ForestOptions(Trees: ScreeningTrees, Seed: Seed)), ScreeningFactor * count,
                    screeningStep: ScreensOnce(request) ? int.MaxValue : null);
                return elimination.Run(training, targets, weights, cancellationToken).SelectedFeatures;
            }
        }
    }

    /// <summary>One point of the grid: which ensemble, how deep, with which loss; and its grid-search candidate.</summary>
    private sealed record Candidate(ModelKind Kind, int? MaxDepth, int Estimators, string Loss)
    {
        public GridCandidate Grid { get; init; } = null!;
    }

    /// <summary>
    /// Trees of a forest candidate the grid search's folds are scored with when the request asks for more; the chosen
    /// candidate is refitted with the request's count. Past a few hundred trees a forest's held-out error changes in
    /// the third digit, and the same for every depth, so the choice rarely moves (docs/PERFORMANCE.md: accuracy and
    /// time at 500 and 1000 trees); growing every fold's 1000 trees was half of a 1000-tree "all" request.
    /// </summary>
    public const int ScoredForestTrees = 200;

    /// <summary>Trees × training rows × predictors up to which level two's grid runs on one thread.</summary>
    internal const long SmallGridWork = 10_000;

    /// <param name="parallelism">Trees a forest grows at once; null = one per processor.</param>
    /// <param name="bootstrapExtraTrees">Extra trees each on a bootstrap sample, to be scored out of bag.</param>
    private static List<Candidate> Candidates(TwoLevelRequest request, int? parallelism = null, bool bootstrapExtraTrees = false)
    {
        var kinds = request.Model == ModelKind.All
            ? new[] { ModelKind.RandomForest, ModelKind.ExtraTrees, ModelKind.GradientBoosting }
            : new[] { request.Model };
        var candidates = new List<Candidate>();
        foreach (var kind in kinds)
        {
            foreach (var depth in kind == ModelKind.GradientBoosting ? BoostingDepths : ForestDepths)
            {
                // The Python backend trained its booster as a median regressor when the intervals were quantiles.
                var loss = kind != ModelKind.GradientBoosting ? "squared_error"
                    : request.Interval == IntervalKind.Quantile ? "quantile" : "squared_error";
                var candidate = new Candidate(kind, depth, request.Estimators, loss);
                // Every processor grows trees of a forest: the grid runs folds in parallel too, the refit does not.
                var forest = new ForestOptions(Trees: request.Estimators, MaxDepth: depth, Seed: Seed, MaxParallelism: parallelism);
                IRegressionLearner Learner(ForestOptions options) => kind switch
                {
                    ModelKind.RandomForest => new RandomForestLearner(options),
                    // Extra trees score a node's features in one vectorised pass: scikit-learn's draws, sums added in another order
                    // (docs/PERFORMANCE.md: as accurate on the random panels, 3.8 times faster).
                    ModelKind.ExtraTrees => new ExtraTreesLearner(options with { VectorisedSplits = true }, bootstrapExtraTrees),
                    _ => Booster(candidate, loss == "quantile" ? BoostingLoss.Quantile(0.5) : BoostingLoss.SquaredError),
                };
                // A forest's folds are scored by its first ScoredForestTrees trees (the same trees a larger forest starts
                // with); the winner is refitted with all of them. A booster's stages are not interchangeable: all are scored.
                var scored = kind != ModelKind.GradientBoosting && request.Estimators > ScoredForestTrees;
                candidates.Add(candidate with
                {
                    Grid = new GridCandidate($"{kind} max_depth={depth?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "None"}",
                        Learner(scored ? forest with { Trees = ScoredForestTrees } : forest),
                        new Dictionary<string, object?> { ["max_depth"] = depth, ["n_estimators"] = request.Estimators, ["loss"] = loss },
                        scored ? Learner(forest) : null),
                });
            }
        }
        return candidates;
    }

    private static GradientBoostingLearner Booster(Candidate candidate, BoostingLoss loss) =>
        new(new BoostingOptions(Estimators: candidate.Estimators, MaxDepth: candidate.MaxDepth, Loss: loss, Seed: Seed));

    internal static IReadOnlyList<CountryValue> Values(IndicatorTable table, TrainingData data, TwoLevelRequest request, double[] predictions,
        IntervalBounds bounds)
    {
        // As the Python backend: the SIDS with a row for the target in its SIDS order (observed or predicted),
        // then SIDS predicted without a row, in code order.
        var target = table.IndicatorIndexOf(request.Target);
        var yearIndex = table.YearIndexOf(request.TargetYear);
        var predicted = new Dictionary<int, int>();
        for (var i = 0; i < data.PredictionCountries.Count; i++)
        {
            predicted[data.PredictionCountries[i]] = i;
        }
        var values = new List<CountryValue>();
        var listed = new HashSet<int>();
        foreach (var code in SidsCountries.Codes)
        {
            var country = table.CountryIndexOf(code);
            if (country < 0 || !table.HasRow(country, target))
            {
                continue;
            }
            listed.Add(country);
            values.Add(predicted.TryGetValue(country, out var p)
                ? new CountryValue(code, predictions[p], true, bounds.Lower[p], bounds.Upper[p])
                : new CountryValue(code, table.Value(country, target, yearIndex), false, double.NaN, double.NaN));
        }
        foreach (var (country, p) in predicted.Where(p => !listed.Contains(p.Key)).OrderBy(p => p.Value))
        {
            values.Add(new CountryValue(table.Countries[country], predictions[p], true, bounds.Lower[p], bounds.Upper[p]));
        }
        return values;
    }

    /// <summary>Importances summed by the categories of the features, in metadata order.</summary>
    internal static IReadOnlyList<CategoryImportance> Categories(IndicatorTable table, string[] names, IReadOnlyList<double> importances)
    {
        var byName = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => importances[p.i], StringComparer.Ordinal);
        var totals = new List<CategoryImportance>();
        foreach (var meta in table.IndicatorMeta.Where(m => byName.ContainsKey(m.Code)).DistinctBy(m => m.Code))
        {
            var index = totals.FindIndex(t => t.Category == meta.Category);
            if (index < 0)
            {
                totals.Add(new CategoryImportance(meta.Category, byName[meta.Code]));
            }
            else
            {
                totals[index] = totals[index] with { Importance = totals[index].Importance + byName[meta.Code] };
            }
        }
        return totals;
    }

    internal static CorrelationMatrix Correlations(string[] names, FeatureMatrix x, CancellationToken cancellationToken)
    {
        var matrix = Correlation.Matrix(x, cancellationToken: cancellationToken);
        return new CorrelationMatrix(names, Enumerable.Range(0, matrix.Rows).Select(r => (IReadOnlyList<double>)matrix.Row(r).ToArray()).ToArray());
    }

    /// <summary>RMSE relative to the target's mean — or to its range when that ratio falls outside [0, 1] — as the Python backend.</summary>
    internal static double RmseDeviation(double rmse, double[] targets)
    {
        var ratio = rmse / targets.Average();
        return ratio is > 1 or < 0 ? rmse / (targets.Max() - targets.Min()) : ratio;
    }
}
