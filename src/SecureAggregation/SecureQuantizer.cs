namespace PoolCompress.SecureAggregation;

/// <summary>
/// Small integers from floats with a scale every client shares (the coordinator fixes it): each value is clipped to
/// [-levels * scale, levels * scale] and rounded stochastically to a multiple of the scale, so the integers are
/// unbiased and their sum decodes, times the scale, to the sum of the clipped values.
/// </summary>
public sealed record SecureQuantizer
{
    public SecureQuantizer(float scale, int levels)
    {
        if (!(scale > 0 && float.IsFinite(scale)))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "the scale must be a positive number");
        if (levels < 1)
            throw new ArgumentOutOfRangeException(nameof(levels), levels, "there must be at least one level each side of zero");
        (Scale, Levels) = (scale, levels);
    }

    public float Scale { get; }
    public int Levels { get; }

    public void Quantize(ReadOnlySpan<float> values, Span<uint> words, MaskSpace space, Random random)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var level = float.IsNaN(values[i]) ? 0f : Math.Clamp(values[i] / Scale, -Levels, Levels);
            var floor = MathF.Floor(level);
            var rounded = (int)floor + (random.NextSingle() < level - floor ? 1 : 0);
            words[i] = space.FromSigned(rounded);
        }
    }

    public void Dequantize(ReadOnlySpan<uint> sum, Span<float> values, MaskSpace space)
    {
        for (var i = 0; i < sum.Length; i++)
            values[i] = space.ToSigned(sum[i]) * Scale;
    }
}
