using SidsFunctions.Tests.Infrastructure;
using SidsFunctions.Tests.Models.Trees;
using SidsModels.Common;
using SidsModels.Selection;
using SidsModels.Trees;

namespace SidsFunctions.Tests.Models.Selection;

/// <summary>
/// Recursive feature elimination: against scikit-learn 1.2.1's <c>RFE</c> on reference/trees.json
/// ("rfe_tree_select{n}_step{s}": <c>RFE(DecisionTreeRegressor(random_state=0), n, step=s).fit(x, y)</c>, no weights),
/// and its ranking rules with importances known in advance (rows printed by rfe_reference.py next to this file).
/// </summary>
public sealed class RecursiveFeatureEliminationTests
{
    public static IEnumerable<object[]> Cases => Fixtures.CaseIndices(TreesCase.File);

    [Theory]
    [Trait("Category", "Reference")]
    [MemberData(nameof(Cases))]
    public void SupportEqualsScikitLearnWithATree(string file, int index)
    {
        Assert.Equal(TreesCase.File, file);
        var c = TreesCase.Load(index);
        // Every "rfe_tree_select{n}_step{s}" entry of the case (the current file has select 2, step 1).
        var entries = c.Raw.Where(e => e.Key.StartsWith("rfe_tree_select", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(entries);
        foreach (var (key, value) in entries)
        {
            var match = System.Text.RegularExpressions.Regex.Match(key, @"^rfe_tree_select(\d+)_step(\d+)$");
            Assert.True(match.Success, $"Unexpected RFE key {key}.");
            var select = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var step = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            var expected = value!.AsArray().Select(b => b!.GetValue<bool>()).ToArray();
            var rfe = new RecursiveFeatureElimination(new DecisionTreeLearner(new TreeOptions(Seed: 0)), select, step);
            var result = rfe.Run(c.X, c.Y, default);
            Assert.Equal(expected, result.Support);
            Assert.Equal(select, result.SelectedFeatures.Length);
            Assert.All(result.SelectedFeatures, f => Assert.Equal(1, result.Ranking[f]));
        }
    }

    public static IEnumerable<object[]> Rankings =>
    [
        [3, 1, new[] { false, false, true, false, true, false, false, true, false, false }, new[] { 3, 7, 1, 6, 1, 4, 8, 1, 5, 2 }],
        [3, 2, new[] { false, false, true, false, true, false, false, true, false, false }, new[] { 3, 5, 1, 4, 1, 3, 5, 1, 4, 2 }],
        [4, 3, new[] { false, false, true, false, true, false, false, true, false, true }, new[] { 2, 3, 1, 3, 1, 2, 3, 1, 2, 1 }],
        [1, 4, new[] { false, false, false, false, true, false, false, false, false, false }, new[] { 3, 4, 3, 4, 1, 3, 4, 2, 4, 3 }],
        [9, 5, new[] { true, true, true, true, true, true, false, true, true, true }, new[] { 1, 1, 1, 1, 1, 1, 2, 1, 1, 1 }],
    ];

    /// <summary>Importances are the first row of x (ties at 0.1 broken by feature order, as numpy for ≤ 16 values).</summary>
    [Theory]
    [Trait("Category", "Reference")]
    [MemberData(nameof(Rankings))]
    public void RankingFollowsScikitLearn(int select, int step, bool[] support, int[] ranking)
    {
        double[] firstRow = [0.3, 0.1, 0.5, 0.1, 0.9, 0.2, 0.05, 0.7, 0.1, 0.4];
        var rows = new[] { firstRow }.Concat(Enumerable.Repeat(Enumerable.Repeat(1.0, 10).ToArray(), 4)).ToArray();
        var result = new RecursiveFeatureElimination(new FirstRowImportances(), select, step)
            .Run(FeatureMatrix.FromRows(rows), [0, 1, 2, 3, 4], default);
        Assert.Equal(support, result.Support);
        Assert.Equal(ranking, result.Ranking);
    }

    [Fact]
    public void NothingToEliminateKeepsEverything()
    {
        var x = FeatureMatrix.FromRows([[1, 2], [2, 1], [3, 5]]);
        var result = new RecursiveFeatureElimination(new FirstRowImportances(), 2).Run(x, [1, 2, 3], default);
        Assert.Equal([true, true], result.Support);
        Assert.Equal([1, 1], result.Ranking);
        Assert.Equal([0, 1], result.SelectedFeatures);
    }

    [Fact]
    public void PassesWeightsAndHonoursCancellation()
    {
        var x = FeatureMatrix.FromRows([[1, 2, 3], [2, 1, 3], [3, 5, 3]]);
        var learner = new FirstRowImportances();
        new RecursiveFeatureElimination(learner, 1).Run(x, [1, 2, 3], [1, 2, 3]);
        Assert.Equal([1.0, 2.0, 3.0], learner.LastWeights);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new RecursiveFeatureElimination(learner, 1).Run(x, [1, 2, 3], default, cancelled.Token));
    }

    /// <summary>
    /// The screening learner ranks while more than its threshold of features remain, the main learner after: 12 features
    /// to 2 by 2s with screening above 6 fit 12, 10 and 8 features with the screen, then 6 and 4 with the main learner.
    /// </summary>
    [Fact]
    public void TheScreeningLearnerRanksOnlyWhileMoreThanItsThresholdRemain()
    {
        var rows = Enumerable.Range(0, 3).Select(r => Enumerable.Range(1, 12).Select(c => (double)(c * (r + 1))).ToArray()).ToArray();
        var (main, screen) = (new FirstRowImportances(), new FirstRowImportances());
        var result = new RecursiveFeatureElimination(main, 2, step: 2, screen, screeningAbove: 6).Run(FeatureMatrix.FromRows(rows), [1, 2, 3], default);
        Assert.Equal([12, 10, 8], screen.FeatureCounts);
        Assert.Equal([6, 4], main.FeatureCounts);
        // Importances grow with the column, so the last two remain.
        Assert.Equal([10, 11], result.SelectedFeatures);
    }

    /// <summary>
    /// A screening step of its own drops that many per screening round but never below the threshold: 12 features with
    /// screening above 6 take one screening round with a step of 100 (12 → 6) and two with a step of 4 (12 → 8 → 6, not 4);
    /// the main learner then goes on by its own step.
    /// </summary>
    [Theory]
    [InlineData(100, new[] { 12 }, new[] { 4, 4, 4, 4, 4, 4, 3, 3, 2, 2, 1, 1 })]
    [InlineData(6, new[] { 12 }, new[] { 4, 4, 4, 4, 4, 4, 3, 3, 2, 2, 1, 1 })]
    [InlineData(4, new[] { 12, 8 }, new[] { 5, 5, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1 })]
    public void AScreeningStepDropsDownToTheThresholdAndNoFurther(int screeningStep, int[] screened, int[] ranking)
    {
        var rows = Enumerable.Range(0, 3).Select(r => Enumerable.Range(1, 12).Select(c => (double)(c * (r + 1))).ToArray()).ToArray();
        var (main, screen) = (new FirstRowImportances(), new FirstRowImportances());
        var result = new RecursiveFeatureElimination(main, 2, step: 2, screen, screeningAbove: 6, screeningStep)
            .Run(FeatureMatrix.FromRows(rows), [1, 2, 3], default);
        Assert.Equal(screened, screen.FeatureCounts);
        Assert.Equal([6, 4], main.FeatureCounts);
        Assert.Equal([10, 11], result.SelectedFeatures);
        Assert.Equal(ranking, result.Ranking);
    }

    /// <summary>A learner whose importances are its training matrix's first row, normalised.</summary>
    private sealed class FirstRowImportances : IRegressionLearner
    {
        public double[] LastWeights { get; private set; } = [];

        public List<int> FeatureCounts { get; } = [];

        public IRegressionModel Learn(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights, CancellationToken cancellationToken = default)
        {
            FeatureCounts.Add(x.Columns);
            LastWeights = weights.ToArray();
            var row = x.Row(0).ToArray();
            var sum = row.Sum();
            return new Model(row.Select(v => v / sum).ToArray());
        }

        private sealed class Model(double[] importances) : IRegressionModel
        {
            public int FeatureCount => importances.Length;

            public IReadOnlyList<double> FeatureImportances => importances;

            public double Predict(ReadOnlySpan<double> row) => 0;
        }
    }
}
