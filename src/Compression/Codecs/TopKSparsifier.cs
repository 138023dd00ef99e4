using PoolCompress.Compression.Coding;

namespace PoolCompress.Compression.Codecs;

/// <summary>Keeps exactly the k = ⌈fraction·n⌉ elements of largest magnitude (<c>topk:FRACTION</c>).</summary>
internal sealed class TopKSparsifier(double fraction, CodecStage next) : Sparsifier(next)
{
    protected override int MaxSelected(int length) => CountOf(fraction, length);

    protected override int Select(ReadOnlySpan<float> input, in StageContext context, Span<int> indices)
    {
        var k = CountOf(fraction, input.Length);
        MagnitudeSelector.SelectLargest(input, indices[..k]);
        return k;
    }
}
