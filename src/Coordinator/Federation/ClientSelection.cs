namespace PoolCompress.Coordinator.Federation;

/// <summary>Seeded choice of a round's participants: the same seed, round, attempt and clients give the same choice.</summary>
public static class ClientSelection
{
    public static IReadOnlyList<string> Select(IEnumerable<string> joinedClients, int count, long seed, int round, int attempt)
    {
        var candidates = joinedClients.Order(StringComparer.Ordinal).ToArray();
        // System.Random with an explicit seed uses a fixed algorithm across runtimes, unlike string.GetHashCode.
        var random = new Random(HashCode32(seed, round, attempt));
        random.Shuffle(candidates);
        return candidates.Take(Math.Min(count, candidates.Length)).Order(StringComparer.Ordinal).ToArray();
    }

    private static int HashCode32(long seed, int round, int attempt)
    {
        ulong h = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)round * 0xBF58476D1CE4E5B9UL ^ (ulong)attempt * 0x94D049BB133111EBUL);
        h ^= h >> 31;
        return unchecked((int)h & int.MaxValue);
    }
}
