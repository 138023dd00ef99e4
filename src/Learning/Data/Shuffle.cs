namespace PoolCompress.Learning;

/// <summary>
/// Seeded shuffles. <see cref="Random(int)"/> with a seed uses a fixed algorithm, so the same seed gives the same
/// order on every machine and in every process, which the determinism of partitions and training rests on.
/// </summary>
internal static class Shuffle
{
    public static int[] Permutation(int count, int seed)
    {
        int[] order = [.. Enumerable.Range(0, count)];
        new Random(seed).Shuffle(order);
        return order;
    }

    /// <summary>Folds a 64-bit seed into the 32 bits <see cref="Random"/> takes, keeping both halves' influence.</summary>
    public static Random CreateRandom(long seed) => new(unchecked((int)seed ^ (int)(seed >> 32)));
}
