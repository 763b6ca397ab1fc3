using SidsModels.Common;
using SidsModels.Statistics;

namespace SidsModels.Imputation;

/// <param name="Estimator">
/// Builds the regression learner for one step from that step's seed (every feature of every round gets a
/// new learner, as scikit-learn clones its estimator per step). A deterministic learner may ignore the seed.
/// </param>
/// <param name="MaxIterations">Rounds at most (scikit-learn's max_iter, default 10), at least 0.</param>
/// <param name="Tolerance">Early-stopping tolerance relative to the largest observed |value| (tol, default 1e-3), at least 0.</param>
/// <param name="NearestFeatures">
/// Predictors per step (n_nearest_features; the Python backend passes 100): all other features when there
/// are at most this many features, else this many drawn at random, weighted by absolute correlation.
/// </param>
/// <param name="Seed">Seeds the per-step generators (predictor draws and learner seeds).</param>
/// <param name="InitialImputer">
/// Fits the starting point on the rows to impute; null = each column's mean (scikit-learn's initial_strategy
/// "mean"). It must keep the columns the mean keeps (those with at least one value).
/// </param>
public sealed record IterativeImputerOptions(
    Func<ulong, IRegressionLearner> Estimator,
    int MaxIterations = 10,
    double Tolerance = 1e-3,
    int NearestFeatures = 100,
    int Seed = 0,
    Func<FeatureMatrix, IFittedImputer>? InitialImputer = null);

/// <summary>
/// Round-robin regression imputation, as scikit-learn 1.2.1's <c>IterativeImputer</c> with the options the
/// Python backend used (initial_strategy "mean", imputation_order "ascending", skip_complete False,
/// sample_posterior False, no min/max clipping, keep_empty_features False) and an injected estimator.
/// </summary>
/// <remarks>
/// <para>Fit: columns all NaN are dropped (<see cref="IterativeImputerModel.KeptColumns"/>) and every NaN
/// starts at its column mean (<see cref="MeanImputer"/>), or where <see cref="IterativeImputerOptions.InitialImputer"/> puts it. Each round visits every kept feature — complete
/// ones too — in ascending order of missing count (ties by column order); for each it learns the feature
/// from its predictors over the rows where it is observed, on the current imputed values, and replaces the
/// feature's missing entries by the predictions. After each round the change is numpy's matrix infinity
/// norm of (this round − previous round): the largest over rows of the sum of |change| across the row; the
/// rounds stop once it is below Tolerance × max |observed value| (strictly), else after MaxIterations.
/// With one kept feature, or MaxIterations = 0, nothing is learned and the imputation is the means.</para>
/// <para>Transform replays every fitted step, in order, on new rows that start at the fitted means — the
/// learners are not refitted, and applying the model to the fitting rows gives fit's own result.</para>
/// <para>Randomness: one generator per step is drawn in order from the seed; it draws the predictors (only
/// when there are more than NearestFeatures other features; scikit-learn uses numpy's generator, so such
/// draws cannot match it value for value) and then the learner's seed.</para>
/// </remarks>
public sealed class IterativeImputer
{
    // scikit-learn's floor on absolute correlations when drawing predictors, so every feature can be drawn.
    private const double CorrelationFloor = 1e-6;

    public IterativeImputer(IterativeImputerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Estimator, nameof(options));
        if (options.MaxIterations < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxIterations, "MaxIterations must be at least 0.");
        }
        if (!(options.Tolerance >= 0) || double.IsPositiveInfinity(options.Tolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Tolerance, "Tolerance must be a finite number, at least 0.");
        }
        if (options.NearestFeatures < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.NearestFeatures, "NearestFeatures must be at least 1.");
        }
        Options = options;
    }

    public IterativeImputerOptions Options { get; }

    /// <summary>Learns the imputation sequence on <paramref name="x"/> (at least one row; NaN = missing).</summary>
    public IterativeImputerModel Fit(FeatureMatrix x, CancellationToken cancellationToken = default) =>
        FitCore(x, null, cancellationToken).Model;

    /// <summary>
    /// <paramref name="x"/> imputed as <see cref="Fit"/> then <see cref="IterativeImputerModel.Transform"/> impute it,
    /// and <paramref name="others"/> as the fitted model transforms them — the same values — without learning the
    /// steps nothing uses: a feature that <paramref name="x"/> observes everywhere is learned only when some row of
    /// <paramref name="others"/> misses it (its step changes no other row). The random streams are drawn as in
    /// <see cref="Fit"/>, so every learned step is the same.
    /// </summary>
    public (FeatureMatrix Imputed, FeatureMatrix[] Others) FitTransform(FeatureMatrix x, IReadOnlyList<FeatureMatrix> others,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(others);
        var kept = MeanImputer.Fit(x).KeptColumns.ToArray();
        var missingElsewhere = new bool[kept.Length];
        foreach (var other in others)
        {
            if (other.Columns != x.Columns)
            {
                throw new ArgumentException($"Expected {x.Columns} columns, got {other.Columns}.", nameof(others));
            }
            for (var r = 0; r < other.Rows; r++)
            {
                for (var k = 0; k < kept.Length; k++)
                {
                    missingElsewhere[k] |= double.IsNaN(other[r, kept[k]]);
                }
            }
        }
        var (model, filled) = FitCore(x, missingElsewhere, cancellationToken);
        return (filled, others.Select(o => model.Transform(o, cancellationToken)).ToArray());
    }

    /// <param name="missingElsewhere">Per kept feature: whether rows beyond <paramref name="x"/> will need its steps; null = any may.</param>
    private (IterativeImputerModel Model, FeatureMatrix Filled) FitCore(FeatureMatrix x, bool[]? missingElsewhere, CancellationToken cancellationToken)
    {
        MatrixChecks.RequireRows(x, nameof(x));
        MatrixChecks.RequireFiniteOrNaN(x, nameof(x));
        IFittedImputer initial = Options.InitialImputer?.Invoke(x) ?? MeanImputer.Fit(x);
        var observed = x.SelectColumns(initial.KeptColumns.ToArray());
        var filled = IterativeImputerModel.Start(initial, x, observed, cancellationToken);
        var rows = filled.Rows;
        var features = filled.Columns;
        var missingRows = MissingRows(observed);
        var steps = new List<IterativeImputationStep>();

        if (Options.MaxIterations == 0 || features <= 1 || AllMissing(missingRows, rows))
        {
            return (new IterativeImputerModel(initial, steps, 0, false), filled);
        }

        var order = AscendingByMissingCount(missingRows);
        var weights = Options.NearestFeatures < features ? AbsoluteCorrelationWeights(filled) : null;
        var threshold = Options.Tolerance * LargestAbsolute(observed);
        var rng = new Rng(Options.Seed);
        var previous = filled.Copy();
        var iterations = 0;
        var converged = false;
        for (var round = 1; round <= Options.MaxIterations; round++)
        {
            iterations = round;
            foreach (var feature in order)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var stepRng = rng.Next();
                var predictors = weights is null ? AllOthers(feature, features) : Draw(weights, feature, Options.NearestFeatures, stepRng);
                var learnerSeed = stepRng.NextUInt64();
                if (missingElsewhere is not null && !missingElsewhere[feature] && Array.IndexOf(missingRows[feature], true) < 0)
                {
                    // Observed in every row that will be imputed: the step would change nothing.
                    continue;
                }
                var model = Learn(Options.Estimator(learnerSeed), filled, feature, predictors, missingRows[feature], cancellationToken);
                var step = new IterativeImputationStep(feature, predictors, model);
                step.Apply(filled, missingRows[feature]);
                steps.Add(step);
            }
            var change = LargestRowSumOfChanges(filled, previous);
            if (change < threshold)
            {
                converged = true;
                break;
            }
            filled.Values.CopyTo(previous.Values);
        }
        return (new IterativeImputerModel(initial, steps, iterations, converged), filled);
    }

    private static IRegressionModel Learn(IRegressionLearner learner, FeatureMatrix filled, int feature, int[] predictors,
        bool[] missing, CancellationToken cancellationToken)
    {
        var trainRows = 0;
        foreach (var m in missing)
        {
            trainRows += m ? 0 : 1;
        }
        var x = new double[trainRows * predictors.Length];
        var y = new double[trainRows];
        var t = 0;
        for (var r = 0; r < filled.Rows; r++)
        {
            if (missing[r])
            {
                continue;
            }
            var row = filled.Row(r);
            for (var j = 0; j < predictors.Length; j++)
            {
                x[t * predictors.Length + j] = row[predictors[j]];
            }
            y[t++] = row[feature];
        }
        return learner.Learn(new FeatureMatrix(trainRows, predictors.Length, x), y, ReadOnlySpan<double>.Empty, cancellationToken);
    }

    internal static bool[][] MissingRows(FeatureMatrix observed)
    {
        var missing = new bool[observed.Columns][];
        for (var c = 0; c < observed.Columns; c++)
        {
            missing[c] = new bool[observed.Rows];
            for (var r = 0; r < observed.Rows; r++)
            {
                missing[c][r] = double.IsNaN(observed[r, c]);
            }
        }
        return missing;
    }

    internal static bool AllMissing(bool[][] missingRows, int rows)
    {
        foreach (var column in missingRows)
        {
            if (Array.IndexOf(column, false) >= 0)
            {
                return false;
            }
        }
        return true;
    }

    // numpy's argsort(kind="mergesort") of the missing fractions: stable, so ties keep column order.
    private static int[] AscendingByMissingCount(bool[][] missingRows)
    {
        var counts = missingRows.Select(column => column.Count(m => m)).ToArray();
        return Enumerable.Range(0, counts.Length).OrderBy(c => counts[c]).ToArray();
    }

    private static int[] AllOthers(int feature, int features)
    {
        var result = new int[features - 1];
        for (int c = 0, i = 0; c < features; c++)
        {
            if (c != feature)
            {
                result[i++] = c;
            }
        }
        return result;
    }

    // scikit-learn's _get_abs_corr_mat on the mean-imputed data: |Pearson|, undefined → floor, at least the
    // floor, zero diagonal, each column scaled to sum 1 (column f holds the draw weights for feature f).
    private static double[][] AbsoluteCorrelationWeights(FeatureMatrix filled)
    {
        var correlation = Correlation.Matrix(filled);
        var features = filled.Columns;
        var weights = new double[features][];
        for (var f = 0; f < features; f++)
        {
            weights[f] = new double[features];
            var total = 0.0;
            for (var c = 0; c < features; c++)
            {
                var w = c == f ? 0.0 : Math.Abs(correlation[c, f]);
                if (c != f && !(w >= CorrelationFloor))
                {
                    w = CorrelationFloor;
                }
                weights[f][c] = w;
                total += w;
            }
            for (var c = 0; c < features; c++)
            {
                weights[f][c] /= total;
            }
        }
        return weights;
    }

    // Weighted draw without replacement, in draw order (numpy's choice(replace=False, p=...) has the same
    // distribution: each next feature with probability proportional to its weight among those left).
    private static int[] Draw(double[][] weights, int feature, int count, Rng rng)
    {
        var left = (double[])weights[feature].Clone();
        var result = new int[count];
        for (var i = 0; i < count; i++)
        {
            var total = 0.0;
            foreach (var w in left)
            {
                total += w;
            }
            var target = rng.NextDouble() * total;
            var chosen = -1;
            var cumulative = 0.0;
            for (var c = 0; c < left.Length; c++)
            {
                if (left[c] <= 0)
                {
                    continue;
                }
                chosen = c;
                cumulative += left[c];
                if (target < cumulative)
                {
                    break;
                }
            }
            result[i] = chosen;
            left[chosen] = 0;
        }
        return result;
    }

    private static double LargestAbsolute(FeatureMatrix observed)
    {
        var largest = 0.0;
        foreach (var v in observed.Values)
        {
            if (Math.Abs(v) > largest)
            {
                largest = Math.Abs(v);
            }
        }
        return largest;
    }

    private static double LargestRowSumOfChanges(FeatureMatrix current, FeatureMatrix previous)
    {
        var largest = 0.0;
        for (var r = 0; r < current.Rows; r++)
        {
            var now = current.Row(r);
            var before = previous.Row(r);
            var sum = 0.0;
            for (var c = 0; c < now.Length; c++)
            {
                sum += Math.Abs(now[c] - before[c]);
            }
            // NaN (a learner predicting NaN) propagates, as in numpy, and then never counts as converged.
            if (!(sum <= largest))
            {
                largest = sum;
            }
        }
        return largest;
    }
}

/// <summary>One fitted step: predicts <see cref="Feature"/> from <see cref="Predictors"/> (indices among the kept columns).</summary>
public sealed class IterativeImputationStep
{
    private readonly int[] predictors;

    internal IterativeImputationStep(int feature, int[] predictors, IRegressionModel model)
    {
        Feature = feature;
        this.predictors = predictors;
        Predictors = Array.AsReadOnly(predictors);
        Model = model;
    }

    public int Feature { get; }

    public IReadOnlyList<int> Predictors { get; }

    public IRegressionModel Model { get; }

    /// <summary>Replaces the feature's missing entries of <paramref name="filled"/> by predictions.</summary>
    internal void Apply(FeatureMatrix filled, bool[] missing)
    {
        var buffer = new double[predictors.Length];
        for (var r = 0; r < filled.Rows; r++)
        {
            if (!missing[r])
            {
                continue;
            }
            var row = filled.RowSpan(r);
            for (var j = 0; j < predictors.Length; j++)
            {
                buffer[j] = row[predictors[j]];
            }
            row[Feature] = Model.Predict(buffer);
        }
    }
}

/// <summary>A fitted <see cref="IterativeImputer"/>: immutable, safe to use from several threads if its learners' models are.</summary>
public sealed class IterativeImputerModel
{
    internal IterativeImputerModel(IFittedImputer initial, List<IterativeImputationStep> steps, int iterations, bool converged)
    {
        Initial = initial;
        Steps = steps.AsReadOnly();
        Iterations = iterations;
        Converged = converged;
    }

    /// <summary>The starting point (each column's mean, unless the options named another); also decides which columns are kept.</summary>
    public IFittedImputer Initial { get; }

    /// <summary>The number of input columns.</summary>
    public int Columns => Initial.Columns;

    /// <summary>The input columns present in the output, ascending: those with at least one fitted value.</summary>
    public IReadOnlyList<int> KeptColumns => Initial.KeptColumns;

    /// <summary>Every fitted step, round after round, in the order transform applies them.</summary>
    public IReadOnlyList<IterativeImputationStep> Steps { get; }

    /// <summary>Rounds run while fitting (scikit-learn's n_iter_); 0 when nothing was learned.</summary>
    public int Iterations { get; }

    /// <summary>Whether the rounds stopped on the tolerance rather than on MaxIterations.</summary>
    public bool Converged { get; }

    /// <summary>
    /// The starting point of <paramref name="x"/>: the initial imputation, with every observed value as observed (a
    /// start that rescales, such as <see cref="ScaledKnnImputer"/>, may move them by a rounding).
    /// </summary>
    internal static FeatureMatrix Start(IFittedImputer initial, FeatureMatrix x, FeatureMatrix observed, CancellationToken cancellationToken)
    {
        var filled = initial.Transform(x, cancellationToken);
        var values = filled.Values;
        var known = observed.Values;
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsNaN(known[i]))
            {
                values[i] = known[i];
            }
        }
        return filled;
    }

    /// <summary>The kept columns of <paramref name="x"/> with every NaN imputed; a new matrix.</summary>
    public FeatureMatrix Transform(FeatureMatrix x, CancellationToken cancellationToken = default)
    {
        var observed = x.SelectColumns(Initial.KeptColumns.ToArray());
        var filled = Start(Initial, x, observed, cancellationToken);
        var missingRows = IterativeImputer.MissingRows(observed);
        if (Iterations == 0 || IterativeImputer.AllMissing(missingRows, filled.Rows))
        {
            return filled;
        }
        foreach (var step in Steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            step.Apply(filled, missingRows[step.Feature]);
        }
        return filled;
    }
}
