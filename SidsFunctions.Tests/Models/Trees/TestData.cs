using SidsModels.Common;

namespace SidsFunctions.Tests.Models.Trees;

/// <summary>Small deterministic data sets for the behaviour tests of trees, ensembles and selection.</summary>
internal static class TestData
{
    /// <summary>
    /// rows × features uniform in [0, 10) from a fixed generator; y = 3·x0 + step(x1 &gt; 5)·4 + noise.
    /// Feature 0 matters most, feature 1 some, the rest not at all.
    /// </summary>
    public static (FeatureMatrix X, double[] Y) Regression(int rows, int features, int seed = 1)
    {
        var random = new Rng(seed);
        var x = new FeatureMatrix(rows, features);
        var y = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            for (var f = 0; f < features; f++)
            {
                x[r, f] = random.NextDouble(0, 10);
            }
            y[r] = 3 * x[r, 0] + (x[r, 1] > 5 ? 4 : 0) + random.NextGaussian() * 0.5;
        }
        return (x, y);
    }
}
