using PoolCompress.Compression.Coding;

namespace PoolCompress.Compression.Codecs;

/// <summary>Keeps exactly the k = ⌈fraction·n⌉ elements of largest magnitude (<c>topk:FRACTION</c>); with
/// <paramref name="global"/> (<c>topk:FRACTION:global</c>) k counts over the whole update, so that tensors whose
/// elements move more (convolutions, the output layer) get more of the budget than one wide layer of small steps.</summary>
internal sealed class TopKSparsifier(double fraction, bool global, CodecStage next, TopKSchedule schedule) : Sparsifier(next)
{
    public double Fraction => fraction;

    public bool IsGlobal => global;

    public TopKSchedule Schedule => schedule;

    protected override int MaxSelected(int length) => global ? length : CountOf(fraction, length);

    protected override int Select(ReadOnlySpan<float> input, in StageContext context, Span<int> indices)
    {
        // A zero threshold (an update with fewer than k non-zeros) keeps every non-zero, not every element.
        if (global) return MagnitudeSelector.SelectAtLeast(input, MathF.Max(context.UpdateThreshold, float.Epsilon), indices);
        var k = CountOf(fraction, input.Length);
        MagnitudeSelector.SelectLargest(input, indices[..k]);
        return k;
    }
}
