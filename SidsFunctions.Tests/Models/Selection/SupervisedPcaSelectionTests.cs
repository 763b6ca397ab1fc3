using SidsModels.Common;
using SidsModels.Selection;
using SidsModels.Statistics;

namespace SidsFunctions.Tests.Models.Selection;

/// <summary>
/// <see cref="SupervisedPcaSelection"/>: the target-blind PCA ranking picks the predictors of largest variance; the
/// supervised one picks among those most correlated with the target.
/// </summary>
public sealed class SupervisedPcaSelectionTests
{
    // 40 rows: y = row; columns 0 and 2 are large noise, 5 small noise; 1, 3, 4, 6 and 7 follow y (3 inversely, 4 as
    // y²/40).
    private static (FeatureMatrix X, double[] Y) Data()
    {
        const int rows = 40;
        var x = new FeatureMatrix(rows, 8);
        var y = new double[rows];
        var state = 12345u;
        double Noise()
        {
            state = state * 1664525u + 1013904223u;
            return state / (double)uint.MaxValue - 0.5;
        }
        for (var r = 0; r < rows; r++)
        {
            y[r] = r;
            x[r, 0] = 1000 * Noise();
            x[r, 1] = r + 0.1 * Noise();
            x[r, 2] = 500 * Noise();
            x[r, 3] = -r + 0.3 * Noise();
            x[r, 4] = r * r / 40.0;
            x[r, 5] = Noise();
            x[r, 6] = 2 * r + 3 * Noise();
            x[r, 7] = r + 5 * Noise();
        }
        return (x, y);
    }

    [Fact]
    public void TheTargetBlindRankingPicksTheLargestNoise()
    {
        var (x, _) = Data();
        Assert.Equal(0, PcaFeatureRanking.Rank(x).Ranking[0]);
    }

    [Fact]
    public void OnePredictorComesFromTheTwoMostCorrelated()
    {
        var (x, y) = Data();
        var picked = Assert.Single(SupervisedPcaSelection.Select(x, y, 1));
        Assert.Contains(picked, new[] { 1, 3 });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void EveryPickIsAmongTheScreenedPredictors(int count)
    {
        var (x, y) = Data();
        var picked = SupervisedPcaSelection.Select(x, y, count);
        Assert.Equal(count, picked.Distinct().Count());
        var byCorrelation = Enumerable.Range(0, x.Columns)
            .OrderByDescending(c => Math.Abs(Correlation.Pearson(x.Column(c), y))).Take(SupervisedPcaSelection.ScreenFactor * count).ToArray();
        Assert.All(picked, c => Assert.Contains(c, byCorrelation));
        Assert.DoesNotContain(0, picked);
        Assert.DoesNotContain(2, picked);
    }

    [Fact]
    public void AskingForMoreThanThereAreGivesEveryPredictorOnceAndAConstantOneLast()
    {
        var x = new FeatureMatrix(5, 3, [1, 7, 2, 2, 7, 4, 3, 7, 6, 4, 7, 8, 5, 7, 11]);
        double[] y = [1, 2, 3, 4, 5];
        var picked = SupervisedPcaSelection.Select(x, y, 5);
        Assert.Equal([0, 1, 2], picked.Order());
        Assert.Equal([0, 2], SupervisedPcaSelection.Select(x, y, 1).Concat(SupervisedPcaSelection.Select(x, y, 2)).Distinct().Order());
    }
}
