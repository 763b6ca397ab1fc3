using SidsFunctions.Tests.Models.Statistics;
using SidsModels.Common;
using SidsModels.Selection;

namespace SidsFunctions.Tests.Models.Selection;

/// <summary>
/// <see cref="PcaFeatureRanking"/> on data built from chosen principal directions, so the components, their
/// variance shares and the ranking are known exactly: X = Z·S·Vᵀ + offsets, with Z orthonormal zero-mean
/// columns (Sylvester–Hadamard columns / √8), S the singular values and V's columns the directions.
/// </summary>
public sealed class PcaFeatureRankingTests
{
    private static readonly double K = Math.Sqrt(0.5);

    // Unit, mutually orthogonal directions over the columns [a, zero, c, b]. The first two both load most on
    // column 0, so the second component's pick must skip it; column 3 loads 0.42 and column 1 nothing.
    private static readonly double[][] Directions =
    [
        [K, 0, 0.8 * K, 0.6 * K],
        [K, 0, -0.8 * K, -0.6 * K],
        [0, 0, -0.6, 0.8],
        [0, 1, 0, 0],
    ];

    private static FeatureMatrix Build(double[] variances, double[] offsets)
    {
        const int rows = 8;
        var x = new FeatureMatrix(rows, 4);
        for (var r = 0; r < rows; r++)
        {
            for (var i = 0; i < Directions.Length; i++)
            {
                var z = Hadamard(r, i + 1) / Math.Sqrt(rows);
                for (var c = 0; c < 4; c++)
                {
                    x[r, c] += z * Math.Sqrt(variances[i]) * Directions[i][c];
                }
            }
            for (var c = 0; c < 4; c++)
            {
                x[r, c] += offsets[c];
            }
        }
        return x;
    }

    // Sylvester's Hadamard matrix entry: (−1)^popcount(r & c); columns 1..7 are zero-mean and orthogonal.
    private static double Hadamard(int row, int column) => int.PopCount(row & column) % 2 == 0 ? 1 : -1;

    [Fact]
    public void KeepsComponentsUpTo95PercentAndRanksLeadersThenTheRestByLoading()
    {
        // Shares 0.60, 0.36, 0.03, 0.01: two components reach 96%. Large column offsets must not matter (the
        // columns are centred) — without centring the mean would dominate the first component.
        var x = Build([60, 36, 3, 1], [100, -50, 7, 1000]);

        var ranking = PcaFeatureRanking.Rank(x);

        Assert.Equal(2, ranking.ComponentCount);
        MatrixAssert.Equal([0.60, 0.36, 0.03, 0.01], ranking.ExplainedVarianceRatio.ToArray(), 1e-12, "shares");
        // Component 1 → column 0; component 2 → column 0 again, skipped → column 2 (0.57 beats 0.42);
        // then column 3 (0.42) before column 1 (0): by loading, not by column order.
        Assert.Equal([0, 2, 3, 1], ranking.Ranking);
        MatrixAssert.Equal([Math.Abs(ranking.Loadings[0, 0]), Math.Abs(ranking.Loadings[1, 2])], [K, 0.8 * K], 1e-12, "loadings");
    }

    [Fact]
    public void MoreVarianceToExplainKeepsMoreComponents()
    {
        var x = Build([60, 36, 3, 1], [0, 0, 0, 0]);

        var ranking = PcaFeatureRanking.Rank(x, varianceToExplain: 0.98);

        Assert.Equal(3, ranking.ComponentCount);
        // Component 3 loads 0.8 on column 3 and 0.6 on column 2 (taken): column 3 is its pick.
        Assert.Equal([0, 2, 3, 1], ranking.Ranking);
    }

    [Fact]
    public void AFeatureLeadingTheFirstComponentComesFirstWhateverItsColumn()
    {
        // Three uncorrelated columns with variances 1, 100 and 9 (in that column order): 100/110 and then
        // 109/110 ≥ 95%, so two components, led by column 1 then column 2; column 0 comes last.
        var x = new FeatureMatrix(8, 3);
        for (var r = 0; r < 8; r++)
        {
            x[r, 0] = 1 * Hadamard(r, 3);
            x[r, 1] = 10 * Hadamard(r, 1);
            x[r, 2] = 3 * Hadamard(r, 2);
        }

        var ranking = PcaFeatureRanking.Rank(x);

        Assert.Equal(2, ranking.ComponentCount);
        Assert.Equal([1, 2, 0], ranking.Ranking);
    }

    [Fact]
    public void FewerRowsThanColumnsWorks()
    {
        // Three rows, five columns: at most two components carry variance; column 3 varies most.
        var x = MatrixAssert.Matrix(
            [0, 1, 2, 10, 1],
            [0, 1, 2, -10, 0],
            [0, 1, 2, 0, -1]);

        var ranking = PcaFeatureRanking.Rank(x);

        Assert.Equal(3, ranking.ExplainedVarianceRatio.Count);
        Assert.Equal(3, ranking.Ranking[0]);
        Assert.Equal([0, 1, 2, 3, 4], ranking.Ranking.Order());
    }

    [Fact]
    public void DataWithoutVarianceKeepsNoComponentAndRanksInColumnOrder()
    {
        var ranking = PcaFeatureRanking.Rank(MatrixAssert.Matrix([1, 2, 3], [1, 2, 3]));

        Assert.Equal(0, ranking.ComponentCount);
        Assert.Equal([0, 1, 2], ranking.Ranking);
    }

    [Fact]
    public void MissingValuesAreRejectedAndTheInputIsLeftAlone()
    {
        var x = Build([60, 36, 3, 1], [1, 2, 3, 4]);
        var before = x.ToRows();

        PcaFeatureRanking.Rank(x);

        MatrixAssert.Equal(before, x, 0, "input");
        Assert.Throws<ArgumentException>(() => PcaFeatureRanking.Rank(MatrixAssert.Matrix([1, double.NaN], [2, 3])));
    }
}
