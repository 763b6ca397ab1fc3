using SidsModels.CountryCorrelation;

namespace SidsFunctions.Tests.Models.CountryCorrelation;

/// <summary>The order of n equal values in pandas 1.5.3's <c>sort_values(ascending=False)</c>, as pandas printed it.</summary>
public sealed class PandasTieOrderTests
{
    [Theory]
    [InlineData(0, new int[0])]
    [InlineData(1, new[] { 0 })]
    [InlineData(2, new[] { 0, 1 })]
    [InlineData(16, new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 })]
    [InlineData(17, new[] { 0, 9, 15, 14, 13, 12, 11, 10, 8, 1, 7, 6, 5, 4, 3, 2, 16 })]
    [InlineData(20, new[] { 0, 1, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 19 })]
    [InlineData(43, new[] { 0, 32, 24, 25, 26, 27, 28, 29, 30, 31, 33, 22, 34, 35, 36, 37, 38, 39, 40, 41, 23, 21, 1, 10, 2, 3, 4, 5, 6, 7, 8, 9, 11, 20, 12, 13, 14, 15, 16, 17, 18, 19, 42 })]
    [InlineData(50, new[] { 0, 37, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 38, 1, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 26, 25, 24, 23, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 49 })]
    public void EqualValuesComeInPandasOrder(int n, int[] expected) => Assert.Equal(expected, PandasTieOrder.Descending(n));

    [Fact]
    public void EveryOrderIsAPermutation()
    {
        for (var n = 0; n < 400; n++)
        {
            Assert.Equal(Enumerable.Range(0, n), PandasTieOrder.Descending(n).Order());
        }
    }
}
