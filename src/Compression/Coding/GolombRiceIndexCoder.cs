using System.Numerics;
using PoolCompress.Compression.Wire;

namespace PoolCompress.Compression.Coding;

/// <summary>Codes a sorted index set as the gaps between successive indices with a Golomb-Rice code.
/// For random sets of density p the gaps are geometric, for which Rice coding with the right parameter costs within
/// about 1% of log2 C(n,k) at the densities top-k uses.</summary>
internal static class GolombRiceIndexCoder
{
    private const int MaxParameter = 30;

    /// <summary>Writes: u32 count, u8 Rice parameter, u32 bit-stream byte length, bit stream.</summary>
    public static void Write(ReadOnlySpan<int> sortedIndices, PayloadWriter output)
    {
        var parameter = ChooseParameter(sortedIndices);
        var bits = CostInBits(sortedIndices, parameter);
        var byteLength = checked((int)((bits + 7) / 8));
        output.WriteUInt32((uint)sortedIndices.Length);
        output.WriteByte((byte)parameter);
        output.WriteUInt32((uint)byteLength);
        var writer = new BitWriter(output.Allocate(byteLength));
        var previous = -1;
        foreach (var index in sortedIndices)
        {
            var gap = (uint)(index - previous - 1);
            writer.WriteUnary(gap >> parameter);
            writer.Write(gap & ((1u << parameter) - 1), parameter);
            previous = index;
        }
        writer.Flush();
    }

    /// <summary>Reads an index set of at most <paramref name="indices"/>.Length indices, all below <paramref name="length"/>;
    /// returns the count.</summary>
    public static int Read(ref PayloadReader input, int length, Span<int> indices)
    {
        var count = input.ReadCount("index count", indices.Length);
        var parameter = input.ReadByte("Rice parameter");
        if (parameter > MaxParameter) throw input.Error($"Rice parameter is {parameter}; at most {MaxParameter} is allowed");
        var byteLength = input.ReadCount("index bit-stream length", input.Remaining);
        var reader = new BitReader(input.ReadBytes(byteLength, "index bit stream"), $"{input.Context}: index bit stream");
        long previous = -1;
        for (var i = 0; i < count; i++)
        {
            var gap = (reader.ReadUnary(length >> parameter) << parameter) | reader.Read(parameter);
            previous += gap + 1;
            if (previous >= length) throw input.Error($"index {i} is {previous}, past the tensor's {length} elements");
            indices[i] = (int)previous;
        }
        if (reader.BytesConsumed != byteLength)
            throw input.Error($"the index bit stream is {byteLength} bytes but its {count} indices use {reader.BytesConsumed}");
        return count;
    }

    /// <summary>The Rice parameter for the set's density: the two parameters either side of the Gallager–van Voorhis
    /// optimum for geometric gaps are tried and the cheaper kept, which also copes with clustered (non-geometric) sets.</summary>
    private static int ChooseParameter(ReadOnlySpan<int> sortedIndices)
    {
        if (sortedIndices.IsEmpty) return 0;
        var span = (double)sortedIndices[^1] + 1;
        var density = sortedIndices.Length / span;
        if (density >= 0.5) return 0;
        var golomb = Math.Ceiling(Math.Log(2 - density) / -Math.Log(1 - density));
        var lower = Math.Clamp(BitOperations.Log2((ulong)golomb), 0, MaxParameter - 1);
        return CostInBits(sortedIndices, lower) <= CostInBits(sortedIndices, lower + 1) ? lower : lower + 1;
    }

    private static long CostInBits(ReadOnlySpan<int> sortedIndices, int parameter)
    {
        long bits = (long)sortedIndices.Length * (parameter + 1);
        var previous = -1;
        foreach (var index in sortedIndices)
        {
            bits += (uint)(index - previous - 1) >> parameter;
            previous = index;
        }
        return bits;
    }
}
