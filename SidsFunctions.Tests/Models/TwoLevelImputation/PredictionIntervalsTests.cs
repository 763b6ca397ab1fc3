using SidsModels.Common;
using SidsModels.Ensembles;
using SidsModels.Selection;
using SidsModels.TwoLevelImputation;

namespace SidsFunctions.Tests.Models.TwoLevelImputation;

/// <summary>
/// The intervals' promise, measured: on data with known noise, 90% intervals built from 200 training rows
/// must cover about 90% of 400 new rows.
/// </summary>
public sealed class PredictionIntervalsTests
{
    private static (FeatureMatrix X, double[] Y) Data(Rng rng, int rows)
    {
        var x = new FeatureMatrix(rows, 4);
        var y = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < 4; c++)
            {
                x[r, c] = rng.NextDouble(-2, 2);
            }
            y[r] = 3 * x[r, 0] + Math.Sin(2 * x[r, 1]) * 2 + x[r, 2] * x[r, 3] + rng.NextGaussian();
        }
        return (x, y);
    }

    private static double Coverage(IntervalKind kind, IRegressionLearner learner, Func<double, IRegressionLearner>? quantile = null,
        int trainingRows = 200, int seed = 11, bool outOfBag = false)
    {
        var rng = new Rng(seed);
        var (x, y) = Data(rng, trainingRows);
        var (test, truth) = Data(rng, 400);
        var weights = Enumerable.Repeat(1.0, x.Rows).ToArray();
        var model = learner.Learn(x, y, weights);
        var predictions = model.Predict(test);
        var bounds = PredictionIntervals.Build(kind,
            new IntervalInputs(learner, model, x, y, weights, KFold.Split(x.Rows, 5), test, predictions, quantile, 7,
                OutOfBag: outOfBag ? ((RandomForestLearner)learner).OutOfBag(x.Rows) : null), CancellationToken.None);
        Assert.Equal(outOfBag, bounds.Method.Replace('-', ' ').Contains("out of bag", StringComparison.Ordinal));
        Assert.All(Enumerable.Range(0, test.Rows), r => Assert.True(bounds.Lower[r] <= predictions[r] && predictions[r] <= bounds.Upper[r]));
        return Enumerable.Range(0, test.Rows).Count(r => bounds.Lower[r] <= truth[r] && truth[r] <= bounds.Upper[r]) / (double)test.Rows;
    }

    private static readonly RandomForestLearner Forest = new(new ForestOptions(Trees: 60, Seed: 3));

    [Fact]
    public void ConformalCvPlusCoversAbout90Percent() =>
        Assert.InRange(Coverage(IntervalKind.Conformal, Forest), 0.85, 0.97);

    [Fact]
    public void QuantileIntervalsOfAForestAreConformalizedToAbout90Percent() =>
        Assert.InRange(Coverage(IntervalKind.Quantile, Forest), 0.85, 0.97);

    [Fact]
    public void QuantileIntervalsOfABoosterAreConformalizedToAbout90Percent()
    {
        GradientBoostingLearner Booster(BoostingLoss loss) => new(new BoostingOptions(Estimators: 60, MaxDepth: 3, Loss: loss, Seed: 3));
        Assert.InRange(Coverage(IntervalKind.Quantile, Booster(BoostingLoss.SquaredError), a => Booster(BoostingLoss.Quantile(a))), 0.85, 0.97);
    }

    [Fact]
    public void ResidualBootstrapCoversAbout90Percent() =>
        Assert.InRange(Coverage(IntervalKind.Bootstrap, Forest), 0.82, 0.97);

    /// <summary>
    /// Few calibration rows (the SIDS reporting a target are often 20–40): the bounds are conformal ranks of the
    /// held-out residuals, so the intervals still cover 90% on average. Plain 5th and 95th percentiles of 30
    /// residuals cover about 84%.
    /// </summary>
    [Fact]
    public void ResidualBootstrapOfFewRowsStillCoversAbout90PercentOnAverage()
    {
        var coverage = Enumerable.Range(1, 12).Average(seed => Coverage(IntervalKind.Bootstrap, SmallForest, trainingRows: 30, seed: seed));
        Assert.InRange(coverage, 0.88, 0.97);
    }

    private static readonly RandomForestLearner SmallForest = new(new ForestOptions(Trees: 30, Seed: 3));

    private static readonly RandomForestLearner OutOfBagForest = new(new ForestOptions(Trees: 100, Seed: 3));

    // Held out by the trees that left each row out of their bootstrap, rather than by fold models: the same promise.
    [Theory]
    [InlineData(IntervalKind.Quantile)]
    [InlineData(IntervalKind.Bootstrap)]
    [InlineData(IntervalKind.Conformal)]
    public void OutOfBagIntervalsOfAForestCoverAbout90Percent(IntervalKind kind) =>
        Assert.InRange(Coverage(kind, OutOfBagForest, outOfBag: true), 0.85, 0.97);

    [Theory]
    [InlineData(IntervalKind.Quantile)]
    [InlineData(IntervalKind.Bootstrap)]
    [InlineData(IntervalKind.Conformal)]
    public void OutOfBagIntervalsOfFewRowsStillCoverAbout90PercentOnAverage(IntervalKind kind)
    {
        var coverage = Enumerable.Range(1, 12).Average(seed => Coverage(kind, OutOfBagForest, trainingRows: 30, seed: seed, outOfBag: true));
        Assert.InRange(coverage, 0.87, 0.98);
    }

    /// <summary>Predicts 0 whatever it learned: every held-out residual is the row's own target.</summary>
    private sealed class Zero : IRegressionLearner, IRegressionModel
    {
        public int FeatureCount => 1;

        public IReadOnlyList<double> FeatureImportances => [0.0];

        public IRegressionModel Learn(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights, CancellationToken cancellationToken = default) => this;

        public double Predict(ReadOnlySpan<double> row) => 0;
    }

    /// <summary>
    /// The residual bounds are the ⌊0.05(n+1)⌋-th and ⌈0.95(n+1)⌉-th smallest residuals (n = 40: the 2nd and the 39th),
    /// computed on the calibration rows only (the SIDS, when at least 10 of them).
    /// </summary>
    [Fact]
    public void ResidualBoundsAreTheConformalRanksOfTheCalibrationResiduals()
    {
        var n = 60;
        var x = new FeatureMatrix(n, 1);
        // Rows 0..39 are SIDS with targets -20..19 (shuffled); rows 40..59 other countries far outside them.
        var targets = Enumerable.Range(0, n).Select(i => i < 40 ? (i * 17 % 40) - 20.0 : 1000.0 + i).ToArray();
        var isSids = Enumerable.Range(0, n).Select(i => i < 40).ToArray();
        var test = new FeatureMatrix(2, 1);
        var zero = new Zero();
        var bounds = PredictionIntervals.Build(IntervalKind.Bootstrap, new IntervalInputs(zero, zero, x, targets, Enumerable.Repeat(1.0, n).ToArray(),
            KFold.Split(n, 5), test, [0.0, 0.0], null, 7, PredictedKind: isSids), CancellationToken.None);
        Assert.Equal([-19.0, -19.0], bounds.Lower);
        Assert.Equal([18.0, 18.0], bounds.Upper);
    }

    /// <summary>
    /// A model that learned other targets than the observed ones (a temporal residual model learns fenced residuals) is
    /// bounded by its held-out errors against the observed ones, by every method, cross-validated or out of bag: here a
    /// model of all-zero targets (one predicting 0, or a forest on them), scored against the SIDS targets −20..19. Bootstrap:
    /// the 2nd and 39th smallest residuals; quantile and CV+ / jackknife+: the 37th smallest |r| (⌈0.9 · 41⌉) either side.
    /// </summary>
    [Theory]
    [InlineData(IntervalKind.Bootstrap, false, -19.0, 18.0)]
    [InlineData(IntervalKind.Quantile, false, -18.0, 18.0)]
    [InlineData(IntervalKind.Conformal, false, -18.0, 18.0)]
    [InlineData(IntervalKind.Bootstrap, true, -19.0, 18.0)]
    [InlineData(IntervalKind.Quantile, true, -18.0, 18.0)]
    [InlineData(IntervalKind.Conformal, true, -18.0, 18.0)]
    public void HeldOutErrorsAreMeasuredAgainstTheObservedTargets(IntervalKind kind, bool outOfBag, double lower, double upper)
    {
        var n = 60;
        var x = new FeatureMatrix(n, 1);
        var learned = new double[n];
        var observed = Enumerable.Range(0, n).Select(i => i < 40 ? (i * 17 % 40) - 20.0 : 1000.0 + i).ToArray();
        var isSids = Enumerable.Range(0, n).Select(i => i < 40).ToArray();
        var weights = Enumerable.Repeat(1.0, n).ToArray();
        var zero = new Zero();
        var forest = new RandomForestLearner(new ForestOptions(Trees: 60, Seed: 5));
        IRegressionLearner learner = outOfBag ? forest : zero;
        var model = learner.Learn(x, learned, weights);
        IntervalBounds Bounds(double[]? observedTargets) => PredictionIntervals.Build(kind, new IntervalInputs(learner, model, x, learned,
            weights, KFold.Split(n, 5), new FeatureMatrix(2, 1), [0.0, 0.0], _ => zero, 7, PredictedKind: isSids,
            OutOfBag: outOfBag ? forest.OutOfBag(n) : null, ObservedTargets: observedTargets), CancellationToken.None);
        var unmeasured = Bounds(null);
        Assert.Equal([0.0, 0.0], unmeasured.Lower);
        Assert.Equal([0.0, 0.0], unmeasured.Upper);
        var bounds = Bounds(observed);
        Assert.Equal(outOfBag, bounds.Method.Replace('-', ' ').Contains("out of bag", StringComparison.Ordinal));
        Assert.Equal([lower, lower], bounds.Lower);
        Assert.Equal([upper, upper], bounds.Upper);
    }

    /// <summary>
    /// An answer's own held-out residual range: the residuals' quantiles at the ranks 0.05(n + 1) and 0.95(n + 1), interpolated.
    /// 29 residuals −14 … 14: ranks 1.5 and 28.5, so −13.5 and 13.5. A range that would leave out the answer itself is widened
    /// to hold it.
    /// </summary>
    [Fact]
    public void HeldOutResidualRangeIsTheInterpolatedQuantilesOfTheResiduals()
    {
        var residuals = Enumerable.Range(0, 29).Select(i => (double)((i * 11 % 29) - 14)).ToArray();
        Assert.Equal((-13.5, 13.5), PredictionIntervals.HeldOutResidualRange(residuals));
        // Residuals 1 … 29: the low quantile would be above the answer.
        Assert.Equal((0.0, 28.5), PredictionIntervals.HeldOutResidualRange(Enumerable.Range(1, 29).Select(i => (double)i)));
    }

    /// <summary>
    /// The range holds about 90% of new residuals exchangeable with 30 calibration ones on average, not at least 90%: the
    /// conformal ranks (the smallest and the largest of 30) hold 29/31 = 0.935 of them, which over-covered temporal answers.
    /// Normal residuals: 0.912 (between two order statistics in a tail the values interpolate, not their probabilities).
    /// </summary>
    [Fact]
    public void HeldOutResidualRangeOfThirtyRowsCoversNinetyPercentOnAverage()
    {
        var random = new Random(11);
        var (covered, draws) = (0, 20_000);
        var residuals = new double[30];
        for (var d = 0; d < draws; d++)
        {
            for (var i = 0; i < residuals.Length; i++)
            {
                residuals[i] = Normal(random);
            }
            var (low, high) = PredictionIntervals.HeldOutResidualRange(residuals);
            var next = Normal(random);
            covered += low <= next && next <= high ? 1 : 0;
        }
        Assert.InRange((double)covered / draws, 0.90, 0.92);
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
