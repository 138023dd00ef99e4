using PoolCompress.Compression.Coding;
using PoolCompress.Compression.Wire;

namespace PoolCompress.Compression.Codecs;

/// <summary>Keeps k = ⌈fraction·n⌉ elements chosen uniformly at random (<c>randk:FRACTION</c>). The choice follows from
/// the payload seed alone, so no indices are sent: the decoder draws the same set.</summary>
internal sealed class RandomKSparsifier(double fraction, CodecStage next) : Sparsifier(next)
{
    protected override int MaxSelected(int length) => CountOf(fraction, length);

    protected override int Select(ReadOnlySpan<float> input, in StageContext context, Span<int> indices) =>
        Draw(context, indices);

    protected override void WriteIndices(ReadOnlySpan<int> indices, PayloadWriter output)
    {
    }

    protected override int ReadIndices(ref PayloadReader input, in StageContext context, Span<int> indices) =>
        Draw(context, indices);

    /// <summary>Selection sampling (Knuth's Algorithm S): element i is kept with probability
    /// (still needed) / (still left), which yields exactly k indices, ascending, every k-subset equally likely.</summary>
    private int Draw(in StageContext context, Span<int> indices)
    {
        var length = context.Length;
        var needed = CountOf(fraction, length);
        var count = 0;
        for (var i = 0; count < needed; i++)
        {
            var uniform = (SeedMixer.Mix(context.Seed, (ulong)i) >> 11) * (1.0 / (1UL << 53));
            if ((length - i) * uniform < needed - count) indices[count++] = i;
        }
        return count;
    }

    /// <summary><c>randk:FRACTION</c>.</summary>
    public sealed class Definition : ICodecStageDefinition
    {
        public string Name => "randk";

        public StageRole Role => StageRole.Sparsifier;

        public ConfiguredStage Configure(ReadOnlySpan<string> arguments)
        {
            var fraction = StageArguments.Fraction(arguments, Name, "randk:FRACTION");
            return new ConfiguredStage($"randk:{StageArguments.Format(fraction)}", Role, next => new RandomKSparsifier(fraction, next));
        }
    }
}
