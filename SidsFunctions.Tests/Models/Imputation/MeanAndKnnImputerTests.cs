using SidsFunctions.Tests.Models.Statistics;
using SidsModels.Imputation;

namespace SidsFunctions.Tests.Models.Imputation;

/// <summary>
/// The rules of <see cref="MeanImputer"/> and <see cref="KnnImputer"/>. Expected values are scikit-learn
/// 1.2.1's (<c>SimpleImputer()</c>, <c>KNNImputer(n_neighbors=...)</c>) on the same matrices.
/// </summary>
public sealed class MeanAndKnnImputerTests
{
    private const double NaN = double.NaN;

    // Column 3 is all NaN when fitting.
    private static readonly double[][] Fitting =
    [
        [1, NaN, 5, NaN],
        [3, 2, 5, NaN],
        [NaN, 6, 5, NaN],
    ];

    [Fact]
    public void MeanImputerDropsAllNaNColumnsAndSaysWhichItKept()
    {
        var imputer = MeanImputer.Fit(MatrixAssert.Matrix(Fitting));

        Assert.Equal([0, 1, 2], imputer.KeptColumns);
        Assert.Equal([2.0, 4, 5, NaN], imputer.Means);
        MatrixAssert.Equal([[2, 4, 5], [7, 4, 5]], imputer.Transform(MatrixAssert.Matrix([NaN, NaN, NaN, 3], [7, NaN, 5, NaN])), 0, "new rows");
    }

    [Fact]
    public void KnnWithNoDefinedDistanceFallsBackToTheColumnMean()
    {
        // The new row shares no coordinate with any fitted row: scikit-learn imputes the means [2, 4, 5].
        var model = new KnnImputer(new KnnImputerOptions()).Fit(MatrixAssert.Matrix(Fitting));

        Assert.Equal([0, 1, 2], model.KeptColumns);
        MatrixAssert.Equal([[2, 4, 5]], model.Transform(MatrixAssert.Matrix([NaN, NaN, NaN, 3])), 0, "means");
    }

    [Fact]
    public void KnnUsesAllDonorsWhenFewerThanNeighboursIncludingUndefinedDistances()
    {
        // Column 1: both donors share nothing with the row → the column mean 3. Column 2: three donors, one at
        // a defined distance; with five neighbours wanted, all three count → (10 + 20 + 30) / 3 = 20.
        var model = new KnnImputer(new KnnImputerOptions(Neighbours: 5)).Fit(MatrixAssert.Matrix(
            [1, NaN, 10],
            [NaN, 2, 20],
            [NaN, 4, 30]));

        MatrixAssert.Equal([[5, 3, 20]], model.Transform(MatrixAssert.Matrix([5, NaN, NaN])), 0, "imputed");
    }

    [Fact]
    public void KnnAveragesTheNearestDonorsOfTheColumn()
    {
        var model = new KnnImputer(new KnnImputerOptions(Neighbours: 2)).Fit(MatrixAssert.Matrix(
            [0, 0],
            [1, 10],
            [2, 20],
            [3, 30],
            [10, 100]));

        // 2.4 is nearest 2 and 3 → (20 + 30) / 2; 6 is nearest 10 and 0 → (1 + 0) / 2.
        MatrixAssert.Equal([[2.4, 25], [0.5, 6]], model.Transform(MatrixAssert.Matrix([2.4, NaN], [NaN, 6])), 0, "imputed");
    }

    [Fact]
    public void KnnFitKeepsItsOwnCopyAndTransformLeavesItsInputAlone()
    {
        var fitting = MatrixAssert.Matrix([0, 0], [1, 10], [2, 20]);
        var model = new KnnImputer(new KnnImputerOptions(Neighbours: 1)).Fit(fitting);
        var rows = MatrixAssert.Matrix([1.9, NaN]);
        fitting[2, 1] = -1;

        var imputed = model.Transform(rows);

        Assert.Equal(20, imputed[0, 1]);
        Assert.True(double.IsNaN(rows[0, 1]));
        MatrixAssert.Equal(imputed.ToRows(), model.Transform(rows), 0, "a second transform");
    }

    [Fact]
    public void KnnChecksItsOptionsAndShapes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new KnnImputer(new KnnImputerOptions(Neighbours: 0)));
        var model = new KnnImputer(new KnnImputerOptions()).Fit(MatrixAssert.Matrix(Fitting));
        Assert.Throws<ArgumentException>(() => model.Transform(MatrixAssert.Matrix([1, 2])));
        Assert.Equal(0, model.Transform(new SidsModels.Common.FeatureMatrix(0, 4)).Rows);
    }
}
