using System.Globalization;
using SidsFunctions.Tests.Infrastructure;
using SidsFunctions.Tests.Models.Trees;
using SidsModels.Common;
using SidsModels.Ensembles;

namespace SidsFunctions.Tests.Models.Ensembles;

/// <summary>
/// Gradient boosting against scikit-learn 1.2.1's <c>GradientBoostingRegressor(loss, alpha,
/// n_estimators=20, random_state=0)</c> fitted with sample weights (reference/trees.json, "gbr": one entry
/// per "loss:alpha"; the settings were worked out by refitting with scikit-learn, see <see cref="TreesCase"/>).
/// Tolerance 1e-6. The quantile stages fit two-valued gradients, so many splits tie exactly: matching
/// needs scikit-learn's feature order for seed 0.
/// </summary>
[Trait("Category", "Reference")]
public sealed class GradientBoostingReferenceTests
{
    public static IEnumerable<object[]> Cases => Fixtures.CaseIndices(TreesCase.File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void PredictionsEqualScikitLearn(string file, int index)
    {
        Assert.Equal(TreesCase.File, file);
        var c = TreesCase.Load(index);
        var entries = c.Raw["gbr"]!.AsObject();
        Assert.NotEmpty(entries);
        foreach (var (key, expected) in entries)
        {
            var parts = key.Split(':');
            var alpha = double.Parse(parts[1], CultureInfo.InvariantCulture);
            var loss = parts[0] switch
            {
                "squared_error" => BoostingLoss.SquaredError,
                "quantile" => BoostingLoss.Quantile(alpha),
                _ => throw new InvalidOperationException($"Unknown loss in {key}."),
            };
            var learner = new GradientBoostingLearner(new BoostingOptions(Estimators: 20, Loss: loss, Seed: 0));
            var predictions = learner.Fit(c.X, c.Y, c.Weight).Predict(c.Test);
            var reference = Fixtures.Doubles(expected);
            for (var i = 0; i < predictions.Length; i++)
            {
                Assert.True(Math.Abs(predictions[i] - reference[i]) <= 1e-6,
                    $"{key} test row {i}: {predictions[i]} vs {reference[i]}");
            }
        }
    }
}
