using PoolCompress.Compression.Wire;

namespace PoolCompress.Compression.Codecs;

/// <summary>One stage of a codec chain. Transform stages (sparsifiers, pooling) hand a smaller vector to the next stage;
/// value coders end the chain.</summary>
public abstract class CodecStage
{
    /// <summary>Encodes <paramref name="input"/> and writes into <paramref name="reconstruction"/> exactly what
    /// <see cref="Decode"/> will produce, which is what error feedback subtracts.</summary>
    public abstract void Encode(ReadOnlySpan<float> input, in StageContext context, PayloadWriter output, Span<float> reconstruction);

    /// <summary>Decodes into <paramref name="destination"/> (length <see cref="StageContext.Length"/>), validating everything read.</summary>
    public abstract void Decode(ref PayloadReader input, in StageContext context, Span<float> destination);
}
