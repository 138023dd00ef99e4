using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace PoolCompress.Compression.Codecs;

/// <summary>IEEE half precision (<c>fp16</c>): round to nearest even; values beyond ±65504 become infinite.</summary>
internal sealed class Float16Coder() : SixteenBitFloatCoder("fp16")
{
    public static Float16Coder Instance { get; } = new();

    protected override void Narrow(ReadOnlySpan<float> values, Span<ushort> bits) =>
        TensorPrimitives.ConvertToHalf(values, MemoryMarshal.Cast<ushort, Half>(bits));

    protected override void Widen(ReadOnlySpan<ushort> bits, Span<float> values) =>
        TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<ushort, Half>(bits), values);
}
