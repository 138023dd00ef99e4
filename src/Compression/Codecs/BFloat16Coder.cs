using System.Runtime.InteropServices;

namespace PoolCompress.Compression.Codecs;

/// <summary>bfloat16 (<c>bf16</c>): the top 16 bits of a float32, rounded to nearest even. Keeps float32's range,
/// so unlike fp16 it never overflows, at the cost of 8 bits of mantissa.</summary>
internal sealed class BFloat16Coder() : SixteenBitFloatCoder("bf16")
{
    protected override void Narrow(ReadOnlySpan<float> values, Span<ushort> bits)
    {
        var floatBits = MemoryMarshal.Cast<float, uint>(values);
        for (var i = 0; i < floatBits.Length; i++) bits[i] = Round(floatBits[i]);
    }

    protected override void Widen(ReadOnlySpan<ushort> bits, Span<float> values)
    {
        var floatBits = MemoryMarshal.Cast<float, uint>(values);
        for (var i = 0; i < bits.Length; i++) floatBits[i] = (uint)bits[i] << 16;
    }

    private static ushort Round(uint bits)
    {
        // NaN must stay NaN: rounding could carry its payload into the exponent and make it infinite.
        if ((bits & 0x7FFF_FFFF) > 0x7F80_0000) return (ushort)((bits >> 16) | 0x0040);
        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
    }
}
