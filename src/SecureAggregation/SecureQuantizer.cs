namespace PoolCompress.SecureAggregation;

/// <summary>
/// Small integers from floats with a scale every client shares (the coordinator fixes it): each value is clipped to
/// [-levels * scale, levels * scale] and rounded stochastically to a multiple of the scale, so the integers are
/// unbiased and their sum decodes, times the scale, to the sum of the clipped values.
/// </summary>
public sealed record SecureQuantizer(float Scale, int Levels)
{
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
