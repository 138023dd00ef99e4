using PoolCompress.Compression.Coding;

namespace PoolCompress.Compression.Codecs;

/// <summary>Keeps the elements with |x| &gt;= T (<c>threshold:T</c>); how many depends on the update.</summary>
internal sealed class ThresholdSparsifier(float threshold, CodecStage next) : Sparsifier(next)
{
    protected override int MaxSelected(int length) => length;

    protected override int Select(ReadOnlySpan<float> input, in StageContext context, Span<int> indices) =>
        MagnitudeSelector.SelectAtLeast(input, threshold, indices);
}
