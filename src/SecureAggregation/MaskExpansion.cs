namespace PoolCompress.SecureAggregation;

/// <summary>Adds or removes the mask a seed expands to: word i of the seed's stream, reduced into the space, masks value i.</summary>
public static class MaskExpansion
{
    public static void Add(Span<uint> values, ReadOnlySpan<byte> seed, MaskSpace space) => Apply(values, seed, space, subtract: false);

    public static void Subtract(Span<uint> values, ReadOnlySpan<byte> seed, MaskSpace space) => Apply(values, seed, space, subtract: true);

    private static void Apply(Span<uint> values, ReadOnlySpan<byte> seed, MaskSpace space, bool subtract)
    {
        using var stream = new SeedStream(seed);
        for (var i = 0; i < values.Length; i++)
        {
            var mask = stream.NextUInt32() & space.Mask;
            values[i] = subtract ? space.Subtract(values[i], mask) : space.Add(values[i], mask);
        }
    }
}
