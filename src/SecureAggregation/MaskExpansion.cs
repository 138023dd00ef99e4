namespace PoolCompress.SecureAggregation;

/// <summary>Adds or removes the mask a seed expands to: word i of the seed's stream, reduced into the space, masks value i.</summary>
public static class MaskExpansion
{
    public static void Add(Span<uint> values, ReadOnlySpan<byte> seed, MaskSpace space) => Apply(values, seed, space, subtract: false);

    public static void Subtract(Span<uint> values, ReadOnlySpan<byte> seed, MaskSpace space) => Apply(values, seed, space, subtract: true);

    /// <summary>
    /// A pair's mask as <paramref name="own"/> applies it: added by the member with the lower point, subtracted by
    /// the other, so the two cancel in the sum.
    /// </summary>
    public static void AddPairMask(Span<uint> values, ReadOnlySpan<byte> seed, MaskSpace space, int own, int peer) =>
        Apply(values, seed, space, subtract: own > peer);

    /// <summary>Takes out of a sum the pair mask <paramref name="own"/> applied (<see cref="AddPairMask"/>).</summary>
    public static void RemovePairMask(Span<uint> values, ReadOnlySpan<byte> seed, MaskSpace space, int own, int peer) =>
        Apply(values, seed, space, subtract: own < peer);

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
