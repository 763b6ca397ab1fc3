using SidsFunctions.Tests.Infrastructure;
using SidsModels.Common;
using SidsModels.Trees;

namespace SidsFunctions.Tests.Models.Trees;

/// <summary>
/// Regression trees against scikit-learn 1.2.1's <c>DecisionTreeRegressor(max_depth, random_state=0)</c>
/// fitted with sample weights (reference/trees.json, "tree": one entry per max_depth). Tolerance 1e-9:
/// the same splits give the same leaf means up to rounding.
/// </summary>
[Trait("Category", "Reference")]
public sealed class DecisionTreeReferenceTests
{
    public static IEnumerable<object[]> Cases => Fixtures.CaseIndices(TreesCase.File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void PredictionsAndImportancesEqualScikitLearn(string file, int index)
    {
        Assert.Equal(TreesCase.File, file);
        var c = TreesCase.Load(index);
        var depths = c.Raw["tree"]!.AsObject();
        Assert.NotEmpty(depths);
        foreach (var (key, expected) in depths)
        {
            var learner = new DecisionTreeLearner(new TreeOptions(MaxDepth: TreesCase.ParseDepth(key), Seed: 0));
            var tree = learner.Fit(c.X, c.Y, c.Weight);
            var predictions = tree.Predict(c.Test);
            var expectedPredictions = Fixtures.Doubles(expected!["predict"]);
            var expectedImportances = Fixtures.Doubles(expected["importances"]);
            for (var i = 0; i < predictions.Length; i++)
            {
                Assert.True(Math.Abs(predictions[i] - expectedPredictions[i]) <= 1e-9,
                    $"max_depth={key} test row {i}: {predictions[i]} vs {expectedPredictions[i]}");
            }
            for (var f = 0; f < expectedImportances.Length; f++)
            {
                Assert.True(Math.Abs(tree.FeatureImportances[f] - expectedImportances[f]) <= 1e-9,
                    $"max_depth={key} importance {f}: {tree.FeatureImportances[f]} vs {expectedImportances[f]}");
            }
        }
    }
}
