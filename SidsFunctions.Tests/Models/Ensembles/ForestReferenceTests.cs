using SidsModels.Common;
using SidsModels.Ensembles;
using SidsModels.Trees;

namespace SidsFunctions.Tests.Models.Ensembles;

/// <summary>
/// Forests against scikit-learn 1.2.1's <c>RandomForestRegressor</c> / <c>ExtraTreesRegressor</c> with the
/// same <c>random_state</c>, fitted with sample weights on integer-derived data that both sides build
/// exactly (one feature with many ties), and single trees / boosting on paths the trees.json fixture does not
/// take. Expected arrays printed by forest_reference.py (next to this file).
/// Tolerance 1e-9: the same trees give the same means up to rounding.
/// </summary>
[Trait("Category", "Reference")]
public sealed class ForestReferenceTests
{
    public static IEnumerable<object[]> Configurations =>
    [
        ["ForestSeed7"],
        ["ForestSqrtDepth4Seed3"],
        ["ExtraSeed7"],
        ["ExtraSqrtLeaf3Seed5"],
    ];

    [Theory]
    [MemberData(nameof(Configurations))]
    public void EqualsScikitLearnForTheSameSeed(string name)
    {
        var (x, y, w) = Data(60, 0);
        var (test, _, _) = Data(12, 1000);
        var (learner, predictions, importances, tree3) = name switch
        {
            "ForestSeed7" => ((IRegressionLearner)new RandomForestLearner(new ForestOptions(Trees: 10, Seed: 7)),
                ForestSeed7Predictions, ForestSeed7Importances, ForestSeed7Tree3),
            "ForestSqrtDepth4Seed3" => (new RandomForestLearner(new ForestOptions(Trees: 10, MaxDepth: 4, MaxFeatures: MaxFeatures.Sqrt, Seed: 3)),
                ForestSqrtDepth4Seed3Predictions, ForestSqrtDepth4Seed3Importances, ForestSqrtDepth4Seed3Tree3),
            "ExtraSeed7" => (new ExtraTreesLearner(new ForestOptions(Trees: 10, Seed: 7)),
                ExtraSeed7Predictions, ExtraSeed7Importances, ExtraSeed7Tree3),
            _ => (new ExtraTreesLearner(new ForestOptions(Trees: 10, MaxFeatures: MaxFeatures.Sqrt, MinSamplesLeaf: 3, Seed: 5)),
                ExtraSqrtLeaf3Seed5Predictions, ExtraSqrtLeaf3Seed5Importances, ExtraSqrtLeaf3Seed5Tree3),
        };
        var model = (ForestModel)learner.Learn(x, y, w);
        AssertClose(predictions, model.Predict(test), "prediction");
        AssertClose(importances, model.FeatureImportances.ToArray(), "importance");
        AssertClose(tree3, model.Trees[3].Predict(test), "tree 3");
    }

    public static IEnumerable<object[]> Singles =>
    [
        ["TreeLeaf4Seed1"],
        ["RandomTreeSeed5"],
        ["BoostQuantileSqrtSeed3"],
        ["BoostDepth5Leaf3Seed2"],
    ];

    /// <summary>
    /// Single models on paths reference/trees.json does not take: <c>min_samples_leaf</c> &gt; 1 (backward
    /// criterion updates), a random-splitter tree (<c>ExtraTreeRegressor</c>), boosting drawing √features per node.
    /// </summary>
    [Theory]
    [MemberData(nameof(Singles))]
    public void SingleModelsEqualScikitLearnForTheSameSeed(string name)
    {
        var (x, y, w) = Data(60, 0);
        var (test, _, _) = Data(12, 1000);
        var (learner, predictions, importances) = name switch
        {
            "TreeLeaf4Seed1" => ((IRegressionLearner)new DecisionTreeLearner(new TreeOptions(MinSamplesLeaf: 4, Seed: 1)),
                TreeLeaf4Seed1Predictions, TreeLeaf4Seed1Importances),
            "RandomTreeSeed5" => (new DecisionTreeLearner(new TreeOptions(Splitter: TreeSplitter.Random, Seed: 5)),
                RandomTreeSeed5Predictions, RandomTreeSeed5Importances),
            "BoostQuantileSqrtSeed3" => (new GradientBoostingLearner(new BoostingOptions(Estimators: 30, Loss: BoostingLoss.Quantile(0.5),
                    MaxFeatures: MaxFeatures.Sqrt, Seed: 3)),
                BoostQuantileSqrtSeed3Predictions, BoostQuantileSqrtSeed3Importances),
            _ => (new GradientBoostingLearner(new BoostingOptions(Estimators: 30, MaxDepth: 5, MinSamplesLeaf: 3, Seed: 2)),
                BoostDepth5Leaf3Seed2Predictions, BoostDepth5Leaf3Seed2Importances),
        };
        var model = learner.Learn(x, y, w);
        AssertClose(predictions, model.Predict(test), "prediction");
        AssertClose(importances, model.FeatureImportances.ToArray(), "importance");
    }

    /// <summary>The recipe of forest_reference.py.</summary>
    internal static (FeatureMatrix X, double[] Y, double[] W) Data(int rows, int offset)
    {
        var x = new FeatureMatrix(rows, 5);
        var y = new double[rows];
        var w = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var k = i + offset;
            x[i, 0] = (k * 7919 + 17) % 1009 / 13.0;
            x[i, 1] = (k * 104729 + 3) % 997 / 7.0;
            x[i, 2] = (k * 31 + k * k) % 101 / 3.0;
            x[i, 3] = k % 5;
            x[i, 4] = k * 65537 % 1021 / 17.0;
            y[i] = 2.0 * x[i, 0] + (x[i, 1] > 70.0 ? 5.0 : 0.0) + x[i, 3] * x[i, 2] / 10.0 + (k * 37 % 23) / 7.0;
            w[i] = 1.0 + k % 3;
        }
        return (x, y, w);
    }

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-9, $"{what} {i}: {actual[i]} vs {expected[i]}");
        }
    }

    private static readonly double[] ForestSeed7Predictions = [61.12809523809524, 38.964175824175825, 20.242527472527478, 149.06879120879123, 129.56003663003662, 103.97743589743591, 80.42487179487179, 59.56692307692308, 35.59838827838828, 10.23930402930403, 148.66663003663004, 117.53238095238098];
    private static readonly double[] ForestSeed7Importances = [0.990331192818072, 0.0030542505877508733, 0.002796017965980653, 0.0020912702791703298, 0.0017272683490261395];
    private static readonly double[] ForestSeed7Tree3 = [54.66703296703296, 45.50952380952381, 19.424908424908427, 142.15384615384616, 120.82967032967032, 104.72454212454213, 85.15384615384616, 52.034065934065936, 37.34871794871795, 11.485714285714286, 139.53553113553113, 115.64468864468866];
    private static readonly double[] ForestSqrtDepth4Seed3Predictions = [65.87871864643293, 37.64817991532277, 44.779807650251755, 134.145435693293, 124.483217814889, 107.56860505809819, 68.35257548403976, 67.00859481150319, 37.81997516026888, 35.175550910149255, 123.20986996336997, 110.16824997485355];
    private static readonly double[] ForestSqrtDepth4Seed3Importances = [0.6744697317774827, 0.08578023644562416, 0.14450720933855019, 0.028836027026806, 0.06640679541153693];
    private static readonly double[] ForestSqrtDepth4Seed3Tree3 = [58.37289377289377, 14.733133533133536, 14.733133533133536, 123.43516483516483, 128.48772893772895, 106.64835164835165, 76.04493284493284, 76.04493284493284, 26.948927263212973, 26.948927263212973, 140.24205128205128, 118.98778998779];
    private static readonly double[] ExtraSeed7Predictions = [57.897619047619045, 38.45769230769231, 18.19102564102564, 150.41377289377292, 127.64637362637362, 102.69802197802196, 83.87468864468865, 56.87703296703298, 34.76725274725275, 19.09989010989011, 147.47589743589742, 113.34164835164836];
    private static readonly double[] ExtraSeed7Importances = [0.981493333091415, 0.005603794700311285, 0.0056905750576315885, 0.004735461836914522, 0.0024768353137276924];
    private static readonly double[] ExtraSeed7Tree3 = [58.37289377289377, 35.791208791208796, 6.694871794871795, 153.83516483516482, 123.43516483516483, 109.87252747252748, 82.62417582417582, 52.034065934065936, 36.285714285714285, 21.776923076923076, 148.68351648351648, 115.64468864468866];
    private static readonly double[] ExtraSqrtLeaf3Seed5Predictions = [70.58047156686254, 56.20510111233796, 29.800611581540153, 138.79185412406625, 104.13987057387058, 76.38338490609918, 83.70473695227079, 64.70553235698681, 45.67541901220473, 38.14033318655296, 131.96536396264048, 104.38507089166255];
    private static readonly double[] ExtraSqrtLeaf3Seed5Importances = [0.8459121408107517, 0.038624896155644385, 0.05944880207682738, 0.026098430096252918, 0.0299157308605237];
    private static readonly double[] ExtraSqrtLeaf3Seed5Tree3 = [80.71086691086691, 80.71086691086691, 40.9502354788069, 149.61119832548405, 122.47429792429794, 66.57285307285308, 65.96422466422466, 40.9502354788069, 40.9502354788069, 41.59018315018315, 66.57285307285308, 65.96422466422466];
    private static readonly double[] TreeLeaf4Seed1Predictions = [70.07700447700448, 44.100566100566105, 23.768091168091168, 145.54632034632033, 117.98006715506715, 105.38021978021979, 80.91067503924647, 61.0971916971917, 34.45222396650968, 23.768091168091168, 145.54632034632033, 117.98006715506715];
    private static readonly double[] TreeLeaf4Seed1Importances = [0.9977767581357598, 0.0, 0.0, 0.0022232418642402435, 0.0];
    private static readonly double[] RandomTreeSeed5Predictions = [58.37289377289377, 37.34871794871795, 6.694871794871795, 142.15384615384616, 128.52637362637364, 90.04505494505493, 87.74835164835164, 69.75238095238096, 23.828571428571426, 26.656410256410254, 137.37435897435898, 115.88351648351649];
    private static readonly double[] RandomTreeSeed5Importances = [0.9864816620522779, 0.0034588166938363876, 0.0019996019829250943, 0.004908835571118853, 0.003151083699841621];
    private static readonly double[] BoostQuantileSqrtSeed3Predictions = [62.353920294734095, 42.14095781112455, 33.09482715378397, 137.4361427989681, 122.27824784231902, 94.33538408817235, 70.16096214581613, 53.95893547404431, 37.77653713544542, 35.095232431754624, 120.77248288224345, 121.15356587484663];
    private static readonly double[] BoostQuantileSqrtSeed3Importances = [0.7681521806217851, 0.08992849716394648, 0.08249685769283598, 0.01272148912924947, 0.046700975392183];
    private static readonly double[] BoostDepth5Leaf3Seed2Predictions = [63.40628581176283, 38.98617183550624, 23.217170723847776, 148.01228131853142, 122.5620311955275, 104.16461874188491, 78.57676196456161, 56.1631347817776, 39.81240177090224, 15.839360889251095, 148.38724448508532, 114.14765855031978];
    private static readonly double[] BoostDepth5Leaf3Seed2Importances = [0.9921129394901889, 0.003987143043337988, 0.001974245249907715, 0.0016267848738024788, 0.0002988873427628764];
}
