using SidsFunctions.Tests.Infrastructure;
using SidsFunctions.Tests.Models.Statistics;
using SidsModels.Common;
using SidsModels.Imputation;

namespace SidsFunctions.Tests.Models.Imputation;

/// <summary>
/// <see cref="IterativeImputer"/> against scikit-learn 1.2.1's <c>IterativeImputer(estimator=LinearRegression())</c>
/// (Fixtures/generated/iterative_imputer.json, made by make_iterative_imputer.py beside it with Debian's
/// /usr/bin/python3): same learner semantics through <see cref="OrdinaryLeastSquaresLearner"/>, so the kept
/// columns, the number of rounds (early stopping included) and transform of train and test must agree.
/// Tolerance 1e-10 absolute (they agree to about 1e-13): least-squares solutions by QR and by gelsd differ in the last bits, and ten rounds
/// feed each other's results.
/// </summary>
[Trait("Category", "Reference")]
public sealed class IterativeImputerReferenceTests
{
    // Absolute, so Fixtures.Cases finds it whatever SIDS_REFERENCE_DIR says (Path.Combine keeps a rooted path).
    private static readonly string File = Path.Combine(AppContext.BaseDirectory, "Fixtures", "generated", "iterative_imputer.json");

    public static IEnumerable<object[]> Cases => Fixtures.CaseIndices(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesScikitLearnWithALinearEstimator(string file, int index)
    {
        var c = Fixtures.Cases(file)[index];
        var name = c["name"]!.GetValue<string>();
        var train = FeatureMatrix.FromRows(Fixtures.Rows(c["train"]));
        var test = FeatureMatrix.FromRows(Fixtures.Rows(c["test"]));
        var options = new IterativeImputerOptions(
            _ => new OrdinaryLeastSquaresLearner(),
            MaxIterations: c["max_iter"]!.GetValue<int>(),
            Tolerance: c["tol"]!.GetValue<double>());

        var model = new IterativeImputer(options).Fit(train);

        Assert.Equal(c["kept"]!.AsArray().Select(k => k!.GetValue<int>()), model.KeptColumns);
        Assert.True(c["n_iter"]!.GetValue<int>() == model.Iterations, $"{name}: expected {c["n_iter"]} rounds, got {model.Iterations}.");
        MatrixAssert.Equal(Fixtures.Rows(c["train_imputed"]), model.Transform(train), 1e-10, $"{name} train");
        MatrixAssert.Equal(Fixtures.Rows(c["test_imputed"]), model.Transform(test), 1e-10, $"{name} test");
    }
}
