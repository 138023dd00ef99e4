using PoolCompress.Compression.Wire;

namespace PoolCompress.Compression.Codecs;

/// <summary>Exact little-endian float32: the lossless baseline (<c>none</c>) and the fallback for small tensors.</summary>
internal sealed class DenseFloat32Coder : CodecStage
{
    public static readonly DenseFloat32Coder Instance = new();

    public override void Encode(ReadOnlySpan<float> input, in StageContext context, PayloadWriter output, Span<float> reconstruction)
    {
        output.WriteSingles(input);
        input.CopyTo(reconstruction);
    }

    public override void Decode(ref PayloadReader input, in StageContext context, Span<float> destination) =>
        input.ReadSingles(destination, "float32 values");
}
