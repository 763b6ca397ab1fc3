using SidsModels.Trees;

namespace SidsFunctions.Tests.Models.Trees;

public sealed class NumpyRandomStateTests
{
    [Theory]
    [InlineData(0u, 0)]
    [InlineData(7u, 0)]
    [InlineData(1608637542u, 5)]
    [InlineData(4294967295u, 623)]
    [InlineData(12345u, 624)]
    [InlineData(99u, 1000)]
    public void PeekSeedIsTheNextSeedAndDrawsNothing(uint seed, int drawsBefore)
    {
        var peeked = new NumpyRandomState(seed);
        var drawn = new NumpyRandomState(seed);
        for (var i = 0; i < drawsBefore; i++)
        {
            Assert.Equal(drawn.NextUInt32(), peeked.NextUInt32());
        }
        var seedValue = peeked.PeekSeed();
        Assert.Equal(seedValue, peeked.PeekSeed());
        Assert.Equal(drawn.NextSeed(), seedValue);
        // Peeking left the stream where it was: the next draws are the unpeeked stream's next draws.
        Assert.Equal(drawn.NextInt(0, 1000), new NumpyRandomStateProbe(seed, drawsBefore).NextIntAfterSeed(1000));
        Assert.Equal(seedValue, peeked.NextSeed());
    }

    /// <summary>An independent stream: <paramref name="draws"/> draws, a seed drawn, then one <c>NextInt</c>.</summary>
    private sealed class NumpyRandomStateProbe(uint seed, int draws)
    {
        public int NextIntAfterSeed(int high)
        {
            var state = new NumpyRandomState(seed);
            for (var i = 0; i < draws; i++)
            {
                state.NextUInt32();
            }
            state.NextSeed();
            return state.NextInt(0, high);
        }
    }
}
