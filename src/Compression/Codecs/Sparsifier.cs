using PoolCompress.Compression.Coding;
using PoolCompress.Compression.Wire;

namespace PoolCompress.Compression.Codecs;

/// <summary>A stage that keeps a subset of the elements: it sends which ones (the index set) and hands their values,
/// as a dense vector, to the next stage. Dropped elements decode as zero.</summary>
internal abstract class Sparsifier(CodecStage next) : CodecStage
{
    public override void Encode(ReadOnlySpan<float> input, in StageContext context, PayloadWriter output, Span<float> reconstruction)
    {
        using var indexBuffer = new PooledBuffer<int>(MaxSelected(input.Length));
        var indices = indexBuffer.Span[..Select(input, context, indexBuffer.Span)];
        WriteIndices(indices, output);

        using var valueBuffer = new PooledBuffer<float>(indices.Length);
        using var valueReconstruction = new PooledBuffer<float>(indices.Length);
        var values = valueBuffer.Span;
        for (var i = 0; i < indices.Length; i++) values[i] = input[indices[i]];
        next.Encode(values, context.Next(1, indices.Length), output, valueReconstruction.Span);
        Scatter(indices, valueReconstruction.Span, reconstruction);
    }

    public override void Decode(ref PayloadReader input, in StageContext context, Span<float> destination)
    {
        using var indexBuffer = new PooledBuffer<int>(MaxSelected(destination.Length));
        var indices = indexBuffer.Span[..ReadIndices(ref input, context, indexBuffer.Span)];
        using var values = new PooledBuffer<float>(indices.Length);
        next.Decode(ref input, context.Next(1, indices.Length), values.Span);
        Scatter(indices, values.Span, destination);
    }

    /// <summary>The most elements this sparsifier keeps of <paramref name="length"/>; decoding rejects claims of more.</summary>
    protected abstract int MaxSelected(int length);

    /// <summary>Writes the ascending indices of the kept elements into <paramref name="indices"/> and returns their count.</summary>
    protected abstract int Select(ReadOnlySpan<float> input, in StageContext context, Span<int> indices);

    protected virtual void WriteIndices(ReadOnlySpan<int> indices, PayloadWriter output) => GolombRiceIndexCoder.Write(indices, output);

    protected virtual int ReadIndices(ref PayloadReader input, in StageContext context, Span<int> indices) =>
        GolombRiceIndexCoder.Read(ref input, context.Length, indices);

    /// <summary>How many elements a fraction of <paramref name="length"/> keeps: at least one of a non-empty tensor.</summary>
    public static int CountOf(double fraction, int length) =>
        length == 0 ? 0 : (int)Math.Clamp(Math.Ceiling(fraction * length - 1e-9), 1, length);

    private static void Scatter(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, Span<float> destination)
    {
        destination.Clear();
        for (var i = 0; i < indices.Length; i++) destination[indices[i]] = values[i];
    }
}
