using SidsModels.Common;

namespace SidsModels.Trees;

/// <summary>
/// A training matrix prepared once for every tree grown on it: the values rounded to single precision
/// (scikit-learn fits trees on float32 copies, which decides thresholds and ties) in feature-major order,
/// and, for the best splitter, each feature's (row, value) pairs sorted by value (ties by row), so that no
/// tree and no node ever sorts. Read-only once built: trees grown in parallel share it.
/// </summary>
internal sealed class TreeTrainingSet
{
    private SortedEntry[]? sortedEntries;
    private float[]? rowMajor;

    public TreeTrainingSet(FeatureMatrix x, ReadOnlySpan<double> y, bool presort)
    {
        if (x.Rows == 0)
        {
            throw new ArgumentException("A tree needs at least one sample.", nameof(x));
        }
        if (x.Columns == 0)
        {
            throw new ArgumentException("A tree needs at least one feature.", nameof(x));
        }
        if (y.Length != x.Rows)
        {
            throw new ArgumentException($"Expected {x.Rows} targets, got {y.Length}.", nameof(y));
        }
        Rows = x.Rows;
        Features = x.Columns;
        Columns = new float[Rows * Features];
        var values = x.Values;
        for (var r = 0; r < Rows; r++)
        {
            var offset = r * Features;
            for (var f = 0; f < Features; f++)
            {
                var v = values[offset + f];
                if (double.IsNaN(v))
                {
                    throw new ArgumentException($"Feature {f} of sample {r} is NaN; trees need complete data.", nameof(x));
                }
                Columns[f * Rows + r] = (float)v;
            }
        }
        Targets = y.ToArray();
        foreach (var t in Targets)
        {
            if (!double.IsFinite(t))
            {
                throw new ArgumentException("Targets must be finite numbers.", nameof(y));
            }
        }
        if (presort)
        {
            sortedEntries = Presort();
        }
    }

    public int Rows { get; }

    public int Features { get; }

    /// <summary>Feature-major single-precision values: <c>Columns[f * Rows + r]</c>.</summary>
    public float[] Columns { get; }

    public double[] Targets { get; }

    /// <summary>Values per row, padded to a multiple of 8 features: <c>RowMajor[r * Stride + f]</c> (padding 0).</summary>
    public float[] RowMajor => rowMajor ??= BuildRowMajor();

    public int Stride => (Features + 7) & ~7;

    /// <summary>Feature-major sorted (row, value) pairs: <c>SortedEntries[f * Rows ..]</c> ascend in feature f.</summary>
    public SortedEntry[] SortedEntries => sortedEntries ??= Presort();

    private float[] BuildRowMajor()
    {
        var stride = Stride;
        var result = new float[Rows * stride];
        for (var f = 0; f < Features; f++)
        {
            var column = Columns.AsSpan(f * Rows, Rows);
            for (var r = 0; r < Rows; r++)
            {
                result[r * stride + f] = column[r];
            }
        }
        return result;
    }

    private SortedEntry[] Presort()
    {
        var result = new SortedEntry[Rows * Features];
        var keys = new ulong[Rows];
        for (var f = 0; f < Features; f++)
        {
            var column = Columns.AsSpan(f * Rows, Rows);
            for (var r = 0; r < Rows; r++)
            {
                keys[r] = ((ulong)SortableBits(column[r]) << 32) | (uint)r;
            }
            Array.Sort(keys);
            var target = result.AsSpan(f * Rows, Rows);
            for (var i = 0; i < Rows; i++)
            {
                var row = (int)(uint)keys[i];
                target[i] = new SortedEntry(row, column[row]);
            }
        }
        return result;
    }

    /// <summary>Maps a float to an unsigned key with the same order (−0 and +0 equal).</summary>
    private static uint SortableBits(float value)
    {
        if (value == 0)
        {
            value = 0;
        }
        var bits = BitConverter.SingleToUInt32Bits(value);
        return (bits & 0x80000000u) != 0 ? ~bits : bits | 0x80000000u;
    }
}

/// <summary>One row of a feature's sorted list with its single-precision value, kept together so that a scan reads one stream.</summary>
internal readonly struct SortedEntry(int row, float value)
{
    public readonly int Row = row;
    public readonly float Value = value;
}
