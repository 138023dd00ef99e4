namespace PoolCompress.Coordinator.Aggregation;

/// <summary>
/// Names a federation's partial aggregate on one silo. The silo address carries the silo's generation, so a silo
/// that restarts gets a new, empty partial aggregate rather than the lost one's name.
/// </summary>
public static class PartialAggregateKey
{
    private const char Separator = '|';

    public static string For(string federationId, SiloAddress silo) => federationId + Separator + silo.ToParsableString();

    /// <summary>Whether <paramref name="key"/> names a partial aggregate of <paramref name="silo"/>.</summary>
    public static bool Names(string key, SiloAddress silo) => key.EndsWith(Separator + silo.ToParsableString(), StringComparison.Ordinal);
}
