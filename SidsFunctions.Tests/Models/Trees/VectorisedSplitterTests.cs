using SidsModels.Common;
using SidsModels.Ensembles;
using SidsModels.Trees;

namespace SidsFunctions.Tests.Models.Trees;

/// <summary>
/// The vectorised random splitter (<see cref="TreeSplitter.RandomVectorised"/>) makes scikit-learn's draws and
/// differs from the exact one only in the order the criterion's sums are added. So it grows the exact splitter's
/// trees: the same nodes, every training row in the same node, values equal up to rounding. Where two drawn features
/// split a node's rows the same way (common in small nodes) their scores tie up to that rounding, and the two
/// splitters may keep different ones of them: the same partition, another feature and threshold.
/// </summary>
public sealed class VectorisedSplitterTests
{
    private static ForestModel Forest(FeatureMatrix x, double[] y, double[] weights, bool vectorised, int? depth = null, int minLeaf = 1,
        int minSplit = 2) =>
        new ExtraTreesLearner(new ForestOptions(Trees: 15, MaxDepth: depth, Seed: 11, MinSamplesSplit: minSplit, MinSamplesLeaf: minLeaf,
            VectorisedSplits: vectorised))
            .Fit(x, y, weights);

    private static double[] Weights(int rows) => Enumerable.Range(0, rows).Select(i => i % 3 == 0 ? 0.02 : 0.007).ToArray();

    // Feature counts around the eight-wide blocks (padding), a depth limit, and nodes left unsplit below 10 rows
    // (the iterative imputer's trees).
    [Theory]
    [InlineData(60, 2, null, 2)]
    [InlineData(60, 7, null, 2)]
    [InlineData(150, 8, null, 2)]
    [InlineData(150, 9, 4, 2)]
    [InlineData(200, 30, null, 2)]
    [InlineData(170, 100, null, 10)]
    public void OnUntiedDataItGrowsTheExactSplittersTrees(int rows, int features, int? depth, int minSplit)
    {
        var (x, y) = TestData.Regression(rows, features, seed: rows + features);
        var weights = Weights(rows);
        AssertSameTrees(Forest(x, y, weights, vectorised: false, depth, minSplit: minSplit),
            Forest(x, y, weights, vectorised: true, depth, minSplit: minSplit), x);
    }

    /// <summary>Constant features (from the start, and within nodes) are drawn and set aside as scikit-learn does.</summary>
    [Fact]
    public void ConstantFeaturesAreBookedAsTheExactSplitterBooksThem()
    {
        var (x, y) = TestData.Regression(120, 5, seed: 4);
        var wide = new FeatureMatrix(120, 8);
        for (var r = 0; r < 120; r++)
        {
            for (var c = 0; c < 5; c++)
            {
                wide[r, c] = x[r, c];
            }
            wide[r, 5] = 3.5;
            // Constant within the upper half of feature 0: nodes there find it constant.
            wide[r, 6] = x[r, 0] > 0 ? 1 : x[r, 1];
            wide[r, 7] = -1;
        }
        var weights = Weights(120);
        var exact = Forest(wide, y, weights, vectorised: false);
        var vectorised = Forest(wide, y, weights, vectorised: true);
        AssertSameTrees(exact, vectorised, wide);
        Assert.Equal(0, vectorised.FeatureImportances[5]);
        Assert.Equal(0, vectorised.FeatureImportances[7]);
    }

    [Fact]
    public void WithLeavesAboveOneRowItIsTheExactSplitter()
    {
        var (x, y) = TestData.Regression(90, 6, seed: 2);
        var weights = Weights(90);
        var exact = Forest(x, y, weights, vectorised: false, minLeaf: 3);
        var vectorised = Forest(x, y, weights, vectorised: true, minLeaf: 3);
        Assert.Equal(exact.Predict(x), vectorised.Predict(x));
        Assert.Equal(exact.FeatureImportances, vectorised.FeatureImportances);
    }

    /// <summary>Two copies of a feature tie exactly; the splitter still grows a tree that fits its rows as the exact one does.</summary>
    [Fact]
    public void DuplicatedFeaturesStillGrowAFullTree()
    {
        var (x, y) = TestData.Regression(80, 3, seed: 6);
        var doubled = new FeatureMatrix(80, 6);
        for (var r = 0; r < 80; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                doubled[r, c] = x[r, c];
                doubled[r, c + 3] = x[r, c];
            }
        }
        var weights = Weights(80);
        var exact = Forest(doubled, y, weights, vectorised: false);
        var vectorised = Forest(doubled, y, weights, vectorised: true);
        // Unlimited trees on distinct rows interpolate their training rows, whichever copy each split used.
        var (a, b) = (exact.Predict(doubled), vectorised.Predict(doubled));
        for (var r = 0; r < 80; r++)
        {
            Assert.Equal(a[r], b[r], 1e-9);
            Assert.Equal(y[r], b[r], 1e-9);
        }
        Assert.Equal(1, vectorised.FeatureImportances.Sum(), 1e-12);
    }

    /// <summary>
    /// Node for node the same trees, up to the first node where the two split its rows into the same two groups by
    /// different features (a tie, possibly mirrored: left and right swapped); below it the draws go to other nodes
    /// and nothing more is claimed.
    /// </summary>
    private static void AssertSameTrees(ForestModel exact, ForestModel vectorised, FeatureMatrix x)
    {
        Assert.Equal(exact.TreeCount, vectorised.TreeCount);
        for (var t = 0; t < exact.TreeCount; t++)
        {
            var (a, b) = (exact.Trees[t], vectorised.Trees[t]);
            var tie = -1;
            for (var node = 0; node < Math.Min(a.NodeCount, b.NodeCount) && tie < 0; node++)
            {
                Assert.Equal(a.NodeValue(node), b.NodeValue(node), 1e-12 * Math.Max(1, Math.Abs(a.NodeValue(node))));
                if ((a.NodeFeature(node), a.NodeThreshold(node)) != (b.NodeFeature(node), b.NodeThreshold(node)))
                {
                    tie = node;
                    break;
                }
                Assert.Equal((a.LeftChild(node), a.RightChild(node)), (b.LeftChild(node), b.RightChild(node)));
            }
            if (tie < 0)
            {
                Assert.Equal(a.NodeCount, b.NodeCount);
                continue;
            }
            // The rows at the tied node, and which of them each tree sends left.
            var left = new List<(bool A, bool B)>();
            for (var r = 0; r < x.Rows; r++)
            {
                if (Reaches(a, x.Row(r), tie))
                {
                    left.Add((x[r, a.NodeFeature(tie)] <= a.NodeThreshold(tie), x[r, b.NodeFeature(tie)] <= b.NodeThreshold(tie)));
                }
            }
            Assert.True(left.All(s => s.A == s.B) || left.All(s => s.A != s.B), $"tree {t} node {tie}: the splits part the rows differently");
        }
    }

    private static bool Reaches(RegressionTree tree, ReadOnlySpan<double> row, int target)
    {
        var node = 0;
        while (node != target && tree.LeftChild(node) != RegressionTree.Leaf)
        {
            node = row[tree.NodeFeature(node)] <= tree.NodeThreshold(node) ? tree.LeftChild(node) : tree.RightChild(node);
        }
        return node == target;
    }
}
