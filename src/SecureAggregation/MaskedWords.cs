namespace PoolCompress.SecureAggregation;

/// <summary>
/// A masked upload on the wire: its words of <see cref="MaskSpace.Bits"/> bits each, packed least significant bit
/// first into consecutive bytes, the last byte padded with zero bits. Masked words are uniform, so no entropy coder
/// could shrink them: the upload is exactly ceil(count * bits / 8) bytes, which is the compression secure
/// aggregation keeps.
/// </summary>
public static class MaskedWords
{
    public static int PackedBytes(int count, MaskSpace space) => (int)(((long)count * space.Bits + 7) / 8);

    public static byte[] Pack(ReadOnlySpan<uint> words, MaskSpace space)
    {
        var packed = new byte[PackedBytes(words.Length, space)];
        long bit = 0;
        foreach (var word in words)
        {
            for (var b = 0; b < space.Bits; b++, bit++)
                packed[bit >> 3] |= (byte)(((word >> b) & 1) << (int)(bit & 7));
        }
        return packed;
    }

    /// <summary>Unpacks exactly <paramref name="count"/> words; any other length, or padding bits set, is refused.</summary>
    public static uint[] Unpack(ReadOnlySpan<byte> packed, int count, MaskSpace space)
    {
        if (count < 0)
            throw new SecureAggregationException($"a masked upload cannot have {count} words");
        if (packed.Length != PackedBytes(count, space))
            throw new SecureAggregationException($"a masked upload of {count} words of {space.Bits} bits has {PackedBytes(count, space)} bytes, not {packed.Length}");
        var words = new uint[count];
        long bit = 0;
        for (var i = 0; i < count; i++)
            for (var b = 0; b < space.Bits; b++, bit++)
                words[i] |= (uint)((packed[(int)(bit >> 3)] >> (int)(bit & 7)) & 1) << b;
        if (bit % 8 != 0 && packed[^1] >> (int)(bit % 8) != 0)
            throw new SecureAggregationException("a masked upload's padding bits are not zero");
        return words;
    }
}
