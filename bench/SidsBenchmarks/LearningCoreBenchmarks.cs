using BenchmarkDotNet.Attributes;
using SidsModels.Common;
using SidsModels.Ensembles;
using SidsModels.Selection;
using SidsModels.Trees;

namespace SidsBenchmarks;

/// <summary>
/// The learning core on the shapes of the heavy predict request (~200 countries × ~150 predictors):
/// one tree, 100-tree forests, extra trees, boosting, and the request's two expensive steps, RFE with a
/// 100-tree forest (select 10, step 10) and a 5-depth × 5-fold grid of 100-tree forests on the selected
/// features. bench/sklearn_forest.py times scikit-learn on the same shapes.
///   dotnet run -c Release --project bench/SidsBenchmarks -- --filter '*LearningCore*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class LearningCoreBenchmarks
{
    private const int Rows = 200;
    private const int Features = 150;

    private FeatureMatrix x = null!;
    private FeatureMatrix selected = null!;
    private double[] y = null!;
    private double[] weights = null!;
    private IReadOnlyList<Fold> folds = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Uniform [0, 100) predictors, y = 2·x0 + x1 + noise; weights as the pipeline's inverse class
        // weighting (a quarter of the rows are SIDS).
        var random = new Rng(1);
        x = new FeatureMatrix(Rows, Features);
        y = new double[Rows];
        weights = new double[Rows];
        for (var r = 0; r < Rows; r++)
        {
            for (var f = 0; f < Features; f++)
            {
                x[r, f] = random.NextDouble(0, 100);
            }
            y[r] = 2 * x[r, 0] + x[r, 1] + random.NextDouble(0, 10);
            weights[r] = r % 4 == 0 ? 1.0 / 50 : 1.0 / 150;
        }
        selected = x.SelectColumns(Enumerable.Range(0, 10).ToArray());
        folds = KFold.Split(Rows, 5);
    }

    [Benchmark]
    public RegressionTree TreeFit() => new DecisionTreeLearner(new TreeOptions(Seed: 7)).Fit(x, y, weights);

    [Benchmark]
    public ForestModel ForestFit() => new RandomForestLearner(new ForestOptions(Trees: 100, Seed: 7)).Fit(x, y, weights);

    [Benchmark]
    public ForestModel ForestFitOneThread() =>
        new RandomForestLearner(new ForestOptions(Trees: 100, Seed: 7, MaxParallelism: 1)).Fit(x, y, weights);

    [Benchmark]
    public ForestModel ExtraTreesFit() => new ExtraTreesLearner(new ForestOptions(Trees: 100, Seed: 7)).Fit(x, y, weights);

    /// <summary>The same forest with every feature of a node scored in one vectorised pass (what the pipeline uses).</summary>
    [Benchmark]
    public ForestModel ExtraTreesVectorisedFit() =>
        new ExtraTreesLearner(new ForestOptions(Trees: 100, Seed: 7, VectorisedSplits: true)).Fit(x, y, weights);

    [Benchmark]
    public GradientBoostingModel GradientBoostingFit() =>
        new GradientBoostingLearner(new BoostingOptions(Estimators: 100, Seed: 7)).Fit(x, y, weights);

    /// <summary>The heavy request's feature selection: RFE(RandomForestRegressor(100), 10, step=10).fit(X, y).</summary>
    [Benchmark]
    public FeatureEliminationResult RfeHeavy() =>
        new RecursiveFeatureElimination(new RandomForestLearner(new ForestOptions(Trees: 100, Seed: 7)), 10, 10).Run(x, y, default);

    /// <summary>The heavy request's model search: max_depth ∈ {5, 10, 20, 100, None} × 5 folds, 100 trees, weighted, refit.</summary>
    [Benchmark]
    public GridSearchResult GridHeavy()
    {
        int?[] depths = [5, 10, 20, 100, null];
        var candidates = depths.Select(d => new GridCandidate(
            $"rfr max_depth={d}",
            new RandomForestLearner(new ForestOptions(Trees: 100, MaxDepth: d, Seed: 7)),
            new Dictionary<string, object?> { ["max_depth"] = d })).ToArray();
        return GridSearch.Run(candidates, selected, y, weights, folds);
    }
}
