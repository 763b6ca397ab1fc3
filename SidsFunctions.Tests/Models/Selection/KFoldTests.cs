using SidsModels.Common;
using SidsModels.Selection;

namespace SidsFunctions.Tests.Models.Selection;

/// <summary>K-fold splits as scikit-learn's unshuffled <c>KFold</c>.</summary>
public sealed class KFoldTests
{
    [Theory]
    [InlineData(11, 5, new[] { 3, 2, 2, 2, 2 })]
    [InlineData(10, 5, new[] { 2, 2, 2, 2, 2 })]
    [InlineData(14, 5, new[] { 3, 3, 3, 3, 2 })]
    [InlineData(7, 3, new[] { 3, 2, 2 })]
    [InlineData(5, 5, new[] { 1, 1, 1, 1, 1 })]
    public void FirstFoldsTakeTheRemainder(int samples, int k, int[] sizes)
    {
        var folds = KFold.Split(samples, k);
        Assert.Equal(sizes, folds.Select(f => f.Test.Length));
        // Consecutive test blocks covering every row once; train = the rest, ascending.
        Assert.Equal(Enumerable.Range(0, samples), folds.SelectMany(f => f.Test));
        foreach (var fold in folds)
        {
            Assert.Equal(Enumerable.Range(0, samples).Except(fold.Test), fold.Train);
        }
    }

    [Fact]
    public void TooFewSamplesIsAnInputError()
    {
        var error = Assert.Throws<InvalidInputException>(() => KFold.Split(4, 5));
        Assert.Contains("at least 5 samples", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => KFold.Split(10, 1));
    }
}
