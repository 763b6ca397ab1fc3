namespace SidsModels.Trees;

/// <summary>
/// numpy's legacy <c>RandomState</c> (MT19937 seeded with <c>init_genrand</c>) as scikit-learn uses it:
/// a forest draws each tree's seed with <c>randint(2^31 - 1)</c>, a tree draws its bootstrap with
/// <c>randint(0, n, n)</c> and its splitter seed with <c>randint(0, 2^31 - 1)</c>. Reproducing the stream
/// makes a seed here mean what <c>random_state</c> means there, so forests, extra trees and boosting equal
/// scikit-learn's for the same seed (ties between equally good splits are settled by the same draws).
/// Not thread-safe; one instance per unit of work.
/// </summary>
internal sealed class NumpyRandomState
{
    private const int StateLength = 624;
    private const int Shift = 397;
    private readonly uint[] state = new uint[StateLength];
    private int position;

    public NumpyRandomState(uint seed)
    {
        var s = seed;
        for (var i = 0; i < StateLength; i++)
        {
            state[i] = s;
            s = unchecked(1812433253u * (s ^ (s >> 30)) + (uint)i + 1u);
        }
        position = StateLength;
    }

    /// <summary>The largest value scikit-learn's tree seeds take: <c>np.iinfo(np.int32).max</c> = RAND_R_MAX.</summary>
    public const int MaxInt32 = int.MaxValue;

    public uint NextUInt32()
    {
        if (position == StateLength)
        {
            Generate();
        }
        return Temper(state[position++]);
    }

    private static uint Temper(uint y)
    {
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary><c>randint(low, high)</c> for a range below 2^32: masked rejection sampling, as numpy's legacy path.</summary>
    public int NextInt(int low, int highExclusive)
    {
        var range = (uint)(highExclusive - 1 - low);
        if (range == 0)
        {
            return low;
        }
        var mask = range;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        uint value;
        do
        {
            value = NextUInt32() & mask;
        }
        while (value > range);
        return low + (int)value;
    }

    /// <summary>The seed scikit-learn gives a tree or a splitter: <c>randint(0, 2^31 - 1)</c>.</summary>
    public uint NextSeed() => (uint)NextInt(0, MaxInt32);

    /// <summary>
    /// What <see cref="NextSeed"/> would return, without drawing it: a tree's bootstrap and its splitter seed both
    /// start from <c>RandomState(tree seed)</c>, so one state serves both instead of seeding a second one.
    /// </summary>
    public uint PeekSeed()
    {
        if (position == StateLength)
        {
            Generate();
        }
        for (var i = position; i < StateLength; i++)
        {
            // NextInt(0, 2^31 - 1): the low 31 bits, rejected when they equal 2^31 - 1.
            var value = Temper(state[i]) & (uint)MaxInt32;
            if (value < MaxInt32)
            {
                return value;
            }
        }
        var copy = new NumpyRandomState(0);
        Array.Copy(state, copy.state, StateLength);
        copy.position = position;
        return copy.NextSeed();
    }

    private void Generate()
    {
        const uint upper = 0x80000000u, lower = 0x7fffffffu, matrix = 0x9908b0dfu;
        int i;
        uint y;
        for (i = 0; i < StateLength - Shift; i++)
        {
            y = (state[i] & upper) | (state[i + 1] & lower);
            state[i] = state[i + Shift] ^ (y >> 1) ^ ((y & 1u) == 0 ? 0u : matrix);
        }
        for (; i < StateLength - 1; i++)
        {
            y = (state[i] & upper) | (state[i + 1] & lower);
            state[i] = state[i + Shift - StateLength] ^ (y >> 1) ^ ((y & 1u) == 0 ? 0u : matrix);
        }
        y = (state[StateLength - 1] & upper) | (state[0] & lower);
        state[StateLength - 1] = state[Shift - 1] ^ (y >> 1) ^ ((y & 1u) == 0 ? 0u : matrix);
        position = 0;
    }
}

