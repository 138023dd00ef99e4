using PoolCompress.Contracts;

namespace PoolCompress.Reporting;

internal static class Rounds
{
    /// <summary>A run's records of rounds 1 to <paramref name="round"/>.</summary>
    public static IReadOnlyList<RoundMetrics> Through(IReadOnlyList<RoundMetrics> rounds, int round) =>
        [.. rounds.Where(r => r.Round <= round)];
}
