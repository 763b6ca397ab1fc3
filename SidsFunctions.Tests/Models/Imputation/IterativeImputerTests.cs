using SidsFunctions.Tests.Models.Statistics;
using SidsModels.Common;
using SidsModels.Imputation;

namespace SidsFunctions.Tests.Models.Imputation;

/// <summary>
/// The rules of <see cref="IterativeImputer"/> that the scikit-learn fixture cannot show: seeds, predictor
/// draws, fit versus transform, and what the fitted sequence holds.
/// </summary>
public sealed class IterativeImputerTests
{
    private const double NaN = double.NaN;

    private static FeatureMatrix Sample(int rows, int columns, int seed)
    {
        var rng = new Rng(seed);
        var x = new FeatureMatrix(rows, columns);
        for (var r = 0; r < rows; r++)
        {
            var common = rng.NextGaussian();
            for (var c = 0; c < columns; c++)
            {
                x[r, c] = rng.NextDouble() < 0.2 ? NaN : common * (c + 1) + rng.NextGaussian();
            }
        }
        return x;
    }

    /// <summary>Records the seed each step's learner got and wraps the least-squares learner.</summary>
    private sealed class SeedRecorder
    {
        public List<ulong> Seeds { get; } = [];

        public IRegressionLearner Create(ulong seed)
        {
            Seeds.Add(seed);
            return new OrdinaryLeastSquaresLearner();
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(200)]
    public void FitTransformGivesFitThenTransformAndSkipsOnlyTheStepsNothingUses(int nearestFeatures)
    {
        var x = Sample(40, 7, 3);
        // Columns 1, 4 and 6 observed in every training row; the other rows miss 4 (not 1 or 6).
        for (var r = 0; r < x.Rows; r++)
        {
            x[r, 1] = r * 0.5 - 3;
            x[r, 4] = Math.Sin(r);
            x[r, 6] = r % 5;
        }
        var other = Sample(9, 7, 4);
        for (var r = 0; r < other.Rows; r++)
        {
            other[r, 1] = r;
            other[r, 6] = 2;
        }
        other[2, 4] = NaN;
        var full = new SeedRecorder();
        var skipping = new SeedRecorder();
        var model = new IterativeImputer(new IterativeImputerOptions(full.Create, MaxIterations: 3, NearestFeatures: nearestFeatures, Seed: 2)).Fit(x);

        var (imputed, others) = new IterativeImputer(new IterativeImputerOptions(skipping.Create, MaxIterations: 3, NearestFeatures: nearestFeatures, Seed: 2))
            .FitTransform(x, [other]);

        MatrixAssert.Equal(model.Transform(x).ToRows(), imputed, 0, "training rows");
        MatrixAssert.Equal(model.Transform(other).ToRows(), others[0], 0, "other rows");
        // Every round learned columns 1 and 6 in Fit only; the seeds the skipping fit used are a subsequence of Fit's.
        Assert.Equal(full.Seeds.Count - 2 * 3, skipping.Seeds.Count);
        Assert.Equal(skipping.Seeds, full.Seeds.Where(skipping.Seeds.Contains));
    }

    [Fact]
    public void EachStepGetsItsOwnSeedAndTheSameSeedRepeatsTheFit()
    {
        var x = Sample(30, 4, 1);
        var first = new SeedRecorder();
        var second = new SeedRecorder();
        var other = new SeedRecorder();

        var a = new IterativeImputer(new IterativeImputerOptions(first.Create, MaxIterations: 3, Seed: 5)).Fit(x);
        var b = new IterativeImputer(new IterativeImputerOptions(second.Create, MaxIterations: 3, Seed: 5)).Fit(x);
        new IterativeImputer(new IterativeImputerOptions(other.Create, MaxIterations: 3, Seed: 6)).Fit(x);

        Assert.Equal(a.Steps.Count, first.Seeds.Count);
        Assert.Equal(first.Seeds.Count, first.Seeds.Distinct().Count());
        Assert.Equal(first.Seeds, second.Seeds);
        Assert.NotEqual(first.Seeds, other.Seeds);
        MatrixAssert.Equal(a.Transform(x).ToRows(), b.Transform(x), 0, "same seed");
    }

    [Fact]
    public void EveryRoundVisitsEveryFeatureInAscendingOrderOfMissingCount()
    {
        // Missing counts: column 0 → 2, column 1 → 0, column 2 → 1, column 3 → 1.
        var x = MatrixAssert.Matrix(
            [NaN, 1, 2, 3],
            [NaN, 2, NaN, 1],
            [3, 3, 1, NaN],
            [4, 5, 7, 2],
            [5, 4, 5, 6],
            [6, 7, 8, 5]);

        var model = new IterativeImputer(new IterativeImputerOptions(_ => new OrdinaryLeastSquaresLearner(), MaxIterations: 2, Tolerance: 0)).Fit(x);

        Assert.Equal(2, model.Iterations);
        Assert.False(model.Converged);
        Assert.Equal([1, 2, 3, 0, 1, 2, 3, 0], model.Steps.Select(s => s.Feature));
        Assert.Equal([0, 1, 3], model.Steps[1].Predictors);
    }

    [Fact]
    public void WithMoreFeaturesThanNearestFeaturesEachStepDrawsDistinctOtherFeatures()
    {
        var x = Sample(40, 8, 2);

        var model = new IterativeImputer(new IterativeImputerOptions(_ => new OrdinaryLeastSquaresLearner(), MaxIterations: 2, NearestFeatures: 3, Seed: 9)).Fit(x);
        var again = new IterativeImputer(new IterativeImputerOptions(_ => new OrdinaryLeastSquaresLearner(), MaxIterations: 2, NearestFeatures: 3, Seed: 9)).Fit(x);

        foreach (var step in model.Steps)
        {
            Assert.Equal(3, step.Predictors.Count);
            Assert.Equal(3, step.Predictors.Distinct().Count());
            Assert.DoesNotContain(step.Feature, step.Predictors);
        }
        Assert.Equal(model.Steps.Select(s => string.Join(',', s.Predictors)), again.Steps.Select(s => string.Join(',', s.Predictors)));
    }

    [Fact]
    public void TransformReplaysTheFittedStepsWithoutRefitting()
    {
        var train = Sample(30, 4, 3);
        var test = Sample(6, 4, 4);
        var learners = 0;
        var model = new IterativeImputer(new IterativeImputerOptions(_ => { learners++; return new OrdinaryLeastSquaresLearner(); }, MaxIterations: 4)).Fit(train);
        var fitted = learners;
        var before = test.ToRows();

        var imputed = model.Transform(test);

        Assert.Equal(fitted, learners);
        Assert.False(imputed.HasMissing());
        for (var r = 0; r < test.Rows; r++)
        {
            for (var c = 0; c < test.Columns; c++)
            {
                if (!double.IsNaN(test[r, c]))
                {
                    Assert.Equal(test[r, c], imputed[r, c]);
                }
            }
        }
        Assert.True(test.HasMissing());
        MatrixAssert.Equal(before, test, 0, "the input, NaN included");
    }

    [Fact]
    public void ZeroIterationsOrOneFeatureImputesTheMeans()
    {
        var x = MatrixAssert.Matrix([1, NaN], [NaN, 4], [3, 6]);

        var none = new IterativeImputer(new IterativeImputerOptions(_ => new OrdinaryLeastSquaresLearner(), MaxIterations: 0)).Fit(x);
        var single = new IterativeImputer(new IterativeImputerOptions(_ => new OrdinaryLeastSquaresLearner())).Fit(MatrixAssert.Matrix([1, NaN], [NaN, NaN], [3, NaN]));

        MatrixAssert.Equal([[1, 5], [2, 4], [3, 6]], none.Transform(x), 0, "means");
        Assert.Empty(none.Steps);
        Assert.Equal([0], single.KeptColumns);
        MatrixAssert.Equal([[1], [2], [3]], single.Transform(MatrixAssert.Matrix([1, 7], [NaN, 8], [3, NaN])), 0, "one kept feature");
    }

    /// <summary>A named starting point replaces the means for the fitted rows and for new rows, and the rounds start from it.</summary>
    [Fact]
    public void AnInitialImputerSetsTheStartForFitAndTransform()
    {
        var x = Sample(40, 4, 8);
        var others = Sample(10, 4, 9);
        var knn = ScaledKnnImputer.Fit(x, 3);
        IterativeImputer Imputer(int rounds) => new(new IterativeImputerOptions(_ => new OrdinaryLeastSquaresLearner(), MaxIterations: rounds,
            InitialImputer: rows => ScaledKnnImputer.Fit(rows, 3)));

        // The start: the KNN values where x has none, x's own values (not their rescaled round trip) where it has.
        static double[][] Expected(FeatureMatrix imputed, FeatureMatrix input) => Enumerable.Range(0, input.Rows)
            .Select(r => Enumerable.Range(0, input.Columns).Select(c => double.IsNaN(input[r, c]) ? imputed[r, c] : input[r, c]).ToArray()).ToArray();
        var (start, startOthers) = Imputer(0).FitTransform(x, [others]);
        MatrixAssert.Equal(Expected(knn.Transform(x), x), start, 0, "the start, fitted rows");
        MatrixAssert.Equal(Expected(knn.Transform(others), others), startOthers[0], 0, "the start, new rows");

        var fromKnn = Imputer(1).Fit(x);
        var fromMeans = new IterativeImputer(new IterativeImputerOptions(_ => new OrdinaryLeastSquaresLearner(), MaxIterations: 1)).Fit(x);
        Assert.IsType<ScaledKnnImputer>(fromKnn.Initial);
        Assert.NotEqual(fromMeans.Transform(x).Values.ToArray(), fromKnn.Transform(x).Values.ToArray());
        // Observed values pass through whatever the start.
        var imputed = fromKnn.Transform(x);
        for (var r = 0; r < x.Rows; r++)
        {
            for (var c = 0; c < x.Columns; c++)
            {
                if (!double.IsNaN(x[r, c]))
                {
                    Assert.Equal(x[r, c], imputed[r, c]);
                }
            }
        }
    }

    [Fact]
    public void CancellationStopsTheFit()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() =>
            new IterativeImputer(new IterativeImputerOptions(_ => new OrdinaryLeastSquaresLearner())).Fit(Sample(20, 3, 5), cancelled.Token));
    }

    [Fact]
    public void OptionsAreChecked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IterativeImputer(new IterativeImputerOptions(_ => new OrdinaryLeastSquaresLearner(), MaxIterations: -1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IterativeImputer(new IterativeImputerOptions(_ => new OrdinaryLeastSquaresLearner(), Tolerance: double.NaN)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IterativeImputer(new IterativeImputerOptions(_ => new OrdinaryLeastSquaresLearner(), NearestFeatures: 0)));
    }
}
