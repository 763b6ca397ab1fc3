using SidsFunctions.Tests.Infrastructure;
using SidsFunctions.Tests.Models.Statistics;
using SidsModels.Common;
using SidsModels.Imputation;
using SidsModels.Statistics;

namespace SidsFunctions.Tests.Models.Imputation;

/// <summary>
/// Mean and KNN imputation against scikit-learn 1.2.1 (reference/imputers.json, made by the shared
/// tools/ref/make_reference.py): each case fits on train and transforms train and test. mean_* is
/// <c>SimpleImputer(strategy="mean")</c>; knn_* is the two-level model's pipeline — <c>MinMaxScaler</c> fitted
/// on train, <c>KNNImputer(n_neighbors=5)</c> fitted on the scaled train, both sets scaled, imputed and
/// scaled back. Tolerance 1e-9 absolute (values are up to a few hundred).
/// </summary>
[Trait("Category", "Reference")]
public sealed class ImputerReferenceTests
{
    private const string File = "imputers.json";
    private const double Tolerance = 1e-9;

    public static IEnumerable<object[]> Cases => Fixtures.CaseIndices(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MeanImputationMatchesSimpleImputer(string file, int index)
    {
        var c = Fixtures.Cases(file)[index];
        var train = FeatureMatrix.FromRows(Fixtures.Rows(c["train"]));
        var test = FeatureMatrix.FromRows(Fixtures.Rows(c["test"]));

        var imputer = MeanImputer.Fit(train);

        MatrixAssert.Equal(Fixtures.Rows(c["mean_train"]), imputer.Transform(train), Tolerance, $"case {index} mean_train");
        MatrixAssert.Equal(Fixtures.Rows(c["mean_test"]), imputer.Transform(test), Tolerance, $"case {index} mean_test");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void KnnImputationInsideMinMaxScalingMatchesScikitLearn(string file, int index)
    {
        var c = Fixtures.Cases(file)[index];
        var train = FeatureMatrix.FromRows(Fixtures.Rows(c["train"]));
        var test = FeatureMatrix.FromRows(Fixtures.Rows(c["test"]));

        var scaler = MinMaxScaler.Fit(train);
        var imputer = new KnnImputer(new KnnImputerOptions(Neighbours: 5)).Fit(scaler.Transform(train));
        var back = scaler.SelectColumns(imputer.KeptColumns.ToArray());

        MatrixAssert.Equal(Fixtures.Rows(c["knn_train"]), back.InverseTransform(imputer.Transform(scaler.Transform(train))), Tolerance, $"case {index} knn_train");
        MatrixAssert.Equal(Fixtures.Rows(c["knn_test"]), back.InverseTransform(imputer.Transform(scaler.Transform(test))), Tolerance, $"case {index} knn_test");
    }
}
