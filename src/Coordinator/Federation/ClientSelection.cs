namespace PoolCompress.Coordinator.Federation;

/// <summary>Seeded choice of a round's participants: the same seed, round, attempt and clients give the same choice.</summary>
public static class ClientSelection
{
    public static IReadOnlyList<string> Select(IEnumerable<string> joinedClients, int count, long seed, int round, int attempt)
    {
        var candidates = joinedClients.Order(StringComparer.Ordinal).ToArray();
        var random = new Random(RoundSeed.For(seed, round, attempt, RoundSeed.Selection));
        random.Shuffle(candidates);
        return candidates.Take(Math.Min(count, candidates.Length)).Order(StringComparer.Ordinal).ToArray();
    }
}
