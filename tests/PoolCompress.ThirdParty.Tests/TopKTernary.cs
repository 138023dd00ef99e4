using System.Buffers.Binary;

namespace PoolCompress.ThirdParty.Tests;

/// <summary>
/// A `topk:F>ternary` chain body (encoding 1) written from docs/wire-format.md sections 2.2 and 2.3 alone: the kept
/// indices as Golomb-Rice coded gaps, then the kept values in ternary (μ, mode 0, one sign bit each). Every field is
/// a property, so a hostile case can lie in exactly one of them.
/// </summary>
internal sealed record TopKTernary(uint Count, byte Rice, byte[] Gaps, float Magnitude, byte Mode, byte[] Signs)
{
    private const int MaxRice = 30;

    /// <summary>The body an honest encoder writes for <paramref name="values"/> (none zero) kept at the ascending <paramref name="indices"/>.</summary>
    public static TopKTernary Of(IReadOnlyList<int> indices, IReadOnlyList<float> values)
    {
        int rice = RiceParameter(indices);
        float magnitude = values.Aggregate(0f, (sum, v) => sum + Math.Abs(v)) / values.Count;
        return new((uint)indices.Count, (byte)rice, RiceCode(GapsOf(indices), rice), magnitude, 0, Bits.Pack(values.Select(v => v < 0)));
    }

    /// <summary>u32 k, u8 r, u32 L, the L bytes of gaps; then ternary: f32 μ, u8 mode, the signs.</summary>
    public byte[] Body()
    {
        var body = new byte[4 + 1 + 4 + Gaps.Length + 4 + 1 + Signs.Length];
        var span = body.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Count);
        span[4] = Rice;
        BinaryPrimitives.WriteUInt32LittleEndian(span[5..], (uint)Gaps.Length);
        Gaps.CopyTo(span[9..]);
        BinaryPrimitives.WriteSingleLittleEndian(span[(9 + Gaps.Length)..], Magnitude);
        span[13 + Gaps.Length] = Mode;
        Signs.CopyTo(span[(14 + Gaps.Length)..]);
        return body;
    }

    /// <summary>g_j = i_j − i_{j−1} − 1, with i_{−1} = −1.</summary>
    public static IEnumerable<ulong> GapsOf(IReadOnlyList<int> indices) => indices.Select((index, j) => (ulong)(index - (j == 0 ? -1 : indices[j - 1]) - 1));

    /// <summary>Each gap: g >> r zero bits, a one bit, then the low r bits of g, LSB first.</summary>
    public static byte[] RiceCode(IEnumerable<ulong> gaps, int rice)
    {
        var bits = new List<bool>();
        foreach (ulong gap in gaps)
        {
            for (ulong q = gap >> rice; q > 0; q--) bits.Add(false);
            bits.Add(true);
            for (int b = 0; b < rice; b++) bits.Add(((gap >> b) & 1) == 1);
        }
        return Bits.Pack(bits);
    }

    /// <summary>
    /// Section 2.3's choice: with p = k / (last index + 1), r = 0 when p ≥ 0.5; otherwise m = ceil(log(2 − p) / −log(1 − p)),
    /// and of floor(log2 m) (at most 29) and one more, the one whose gaps cost fewer bits (the lower on a tie).
    /// </summary>
    public static int RiceParameter(IReadOnlyList<int> indices)
    {
        if (indices.Count == 0) return 0;
        double density = indices.Count / ((double)indices[^1] + 1);
        if (density >= 0.5) return 0;
        double golomb = Math.Ceiling(Math.Log(2 - density) / -Math.Log(1 - density));
        int lower = Math.Clamp((int)Math.Floor(Math.Log2(golomb)), 0, MaxRice - 1);
        return Cost(indices, lower) <= Cost(indices, lower + 1) ? lower : lower + 1;
    }

    private static long Cost(IReadOnlyList<int> indices, int rice) => GapsOf(indices).Sum(gap => (long)(gap >> rice) + 1 + rice);
}

/// <summary>The document's bit streams: bit i is bit i mod 8 of byte i div 8, unused bits of the last byte 0.</summary>
internal static class Bits
{
    public static byte[] Pack(IEnumerable<bool> bits)
    {
        var list = bits.ToList();
        var bytes = new byte[(list.Count + 7) / 8];
        for (int i = 0; i < list.Count; i++)
            if (list[i]) bytes[i / 8] |= (byte)(1 << (i % 8));
        return bytes;
    }
}
