using PoolCompress.Compression.Codecs;
using PoolCompress.Compression.Wire;

namespace PoolCompress.Plugins.TestStage;

/// <summary>
/// <c>scaledsign</c>: every value becomes its sign times the mean magnitude (scaled signSGD), one bit a value
/// after a float32 scale. Decoding checks the scale, as every stage must check what it reads.
/// </summary>
public sealed class ScaledSignCoder : CodecStage
{
    public override void Encode(ReadOnlySpan<float> input, in StageContext context, PayloadWriter output, Span<float> reconstruction)
    {
        var scale = 0f;
        foreach (var value in input) scale += MathF.Abs(value);
        scale = input.Length == 0 ? 0 : scale / input.Length;
        output.WriteSingle(scale);
        var signs = output.Allocate((input.Length + 7) / 8);
        signs.Clear();
        for (var i = 0; i < input.Length; i++) signs[i >> 3] |= (byte)((input[i] < 0 ? 1 : 0) << (i & 7));
        for (var i = 0; i < input.Length; i++) reconstruction[i] = input[i] < 0 ? -scale : scale;
    }

    public override void Decode(ref PayloadReader input, in StageContext context, Span<float> destination)
    {
        var scale = input.ReadFiniteSingle("scaledsign scale");
        if (scale < 0) throw input.Error($"scaledsign scale is {scale}; it must not be negative");
        var signs = input.ReadBytes((destination.Length + 7) / 8, "scaledsign signs");
        for (var i = 0; i < destination.Length; i++) destination[i] = ((signs[i >> 3] >> (i & 7)) & 1) == 0 ? scale : -scale;
    }
}

/// <summary>The registration: a value coder named <c>scaledsign</c> that takes no arguments.</summary>
public sealed class ScaledSign : ICodecStageDefinition
{
    public string Name => "scaledsign";

    public StageRole Role => StageRole.ValueCoder;

    public ConfiguredStage Configure(ReadOnlySpan<string> arguments)
    {
        StageArguments.ExpectNone(arguments, Name);
        return new ConfiguredStage(Name, Role, _ => new ScaledSignCoder());
    }
}
