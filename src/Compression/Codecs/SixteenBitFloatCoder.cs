using PoolCompress.Compression.Coding;
using PoolCompress.Compression.Wire;

namespace PoolCompress.Compression.Codecs;

/// <summary>A 16-bit float format: values are narrowed to 16-bit patterns, sent as u16, and widened back.</summary>
internal abstract class SixteenBitFloatCoder(string name) : CodecStage
{
    public override void Encode(ReadOnlySpan<float> input, in StageContext context, PayloadWriter output, Span<float> reconstruction)
    {
        using var narrowed = new PooledBuffer<ushort>(input.Length);
        Narrow(input, narrowed.Span);
        output.WriteUInt16s(narrowed.Span);
        Widen(narrowed.Span, reconstruction);
    }

    public override void Decode(ref PayloadReader input, in StageContext context, Span<float> destination)
    {
        using var narrowed = new PooledBuffer<ushort>(destination.Length);
        input.ReadUInt16s(narrowed.Span, $"{name} values");
        Widen(narrowed.Span, destination);
    }

    protected abstract void Narrow(ReadOnlySpan<float> values, Span<ushort> bits);

    protected abstract void Widen(ReadOnlySpan<ushort> bits, Span<float> values);
}
