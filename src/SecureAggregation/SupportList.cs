using PoolCompress.Compression;
using PoolCompress.Compression.Coding;
using PoolCompress.Compression.Wire;

namespace PoolCompress.SecureAggregation;

/// <summary>
/// A support as the coordinator names it in a round's plan: the ascending coordinates as Golomb-Rice coded gaps,
/// the codecs' index set (u32 count, u8 Rice parameter, u32 bit-stream bytes, the bit stream). A client reads it as
/// hostile input: exactly the plan's count of coordinates, ascending, each below the model's dimension, nothing after.
/// </summary>
public static class SupportList
{
    public static byte[] Encode(ReadOnlySpan<int> support)
    {
        using var writer = new PayloadWriter(16 + support.Length);
        GolombRiceIndexCoder.Write(support, writer);
        return writer.ToArray();
    }

    /// <summary>The support a plan gives: drawn from the round's seed when it names none, else the one it names, checked.</summary>
    public static int[] Read(ReadOnlySpan<byte> named, int dimension, int count, ulong roundSeed) =>
        named.IsEmpty ? SharedSupport.Choose(dimension, count, roundSeed) : Decode(named, dimension, count);

    public static int[] Decode(ReadOnlySpan<byte> encoded, int dimension, int count)
    {
        if (count < 1 || count > dimension)
            throw new SecureAggregationException($"a support has 1 to {dimension} coordinates, not {count}");
        try
        {
            var reader = new PayloadReader(encoded, "the plan's support");
            var support = new int[count];
            var read = GolombRiceIndexCoder.Read(ref reader, dimension, support);
            if (read != count) throw new SecureAggregationException($"the plan's support lists {read} coordinates, not {count}");
            reader.ExpectEnd();
            return support;
        }
        catch (WireFormatException e)
        {
            throw new SecureAggregationException(e.Message);
        }
    }
}
