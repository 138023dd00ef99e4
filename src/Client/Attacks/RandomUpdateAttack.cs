namespace PoolCompress.Client.Attacks;

/// <summary>
/// Sends noise in place of the update: every value uniform in [-scale, scale], from a generator seeded by the seed and
/// the round, so a seeded run sends the same noise again.
/// </summary>
public sealed class RandomUpdateAttack(double scale, int seed) : IUpdateFilter
{
    public void Apply(Span<float> update, ReadOnlySpan<float> global, int round)
    {
        var random = new Random(unchecked(seed * 7919 + round));
        for (int i = 0; i < update.Length; i++) update[i] = (float)(scale * (2 * random.NextDouble() - 1));
    }
}
