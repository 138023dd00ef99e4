using System.Globalization;
using PoolCompress.Compression.Coding;

namespace PoolCompress.Compression.Codecs;

/// <summary>Keeps the elements with |x| &gt;= T (<c>threshold:T</c>); how many depends on the update.</summary>
internal sealed class ThresholdSparsifier(float threshold, CodecStage next) : Sparsifier(next)
{
    protected override int MaxSelected(int length) => length;

    protected override int Select(ReadOnlySpan<float> input, in StageContext context, Span<int> indices) =>
        MagnitudeSelector.SelectAtLeast(input, threshold, indices);

    /// <summary><c>threshold:T</c>.</summary>
    public sealed class Definition : ICodecStageDefinition
    {
        public string Name => "threshold";

        public StageRole Role => StageRole.Sparsifier;

        public ConfiguredStage Configure(ReadOnlySpan<string> arguments)
        {
            if (arguments.Length != 1 || !float.TryParse(arguments[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) || !float.IsFinite(threshold) || threshold <= 0)
                throw new FormatException("T must be a finite number > 0; expected threshold:T, e.g. threshold:0.001");
            return new ConfiguredStage($"threshold:{StageArguments.Format(threshold)}", Role, next => new ThresholdSparsifier(threshold, next));
        }
    }
}
