namespace PoolCompress.SecureAggregation;

/// <summary>
/// The integers modulo 2^<see cref="Bits"/> in which masked values live. A power-of-two modulus keeps every masked
/// word uniform when the mask is (the low bits of a uniform word are uniform) and packs without waste.
/// </summary>
public readonly record struct MaskSpace
{
    public MaskSpace(int bits)
    {
        if (bits is < 2 or > 32)
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "a mask modulus has 2 to 32 bits");
        Bits = bits;
    }

    public int Bits { get; }

    public uint Mask => Bits == 32 ? uint.MaxValue : (1u << Bits) - 1;

    /// <summary>The largest count of values in [-levels, levels] whose sum still decodes without wrapping.</summary>
    public long MaxAddends(int levels) => ((1L << Bits) - 1) / (2L * levels);

    public uint Add(uint a, uint b) => (a + b) & Mask;

    public uint Subtract(uint a, uint b) => (a - b) & Mask;

    public uint FromSigned(int value) => (uint)value & Mask;

    /// <summary>Reads a word as the signed value in [-2^(m-1), 2^(m-1)) it stands for.</summary>
    public int ToSigned(uint word)
    {
        var shift = 32 - Bits;
        return (int)(word << shift) >> shift;
    }

    /// <summary>The smallest space whose sum of <paramref name="addends"/> values in [-levels, levels] never wraps.</summary>
    public static MaskSpace For(int addends, int levels)
    {
        var span = 2L * addends * levels + 1;
        var bits = Math.Max(2, 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(span - 1)));
        return new MaskSpace(bits);
    }
}
