using PoolCompress.Coordinator.Aggregation;

namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// What does not combine with secure aggregation, one line each: every rule that reads one client's update (its
/// values, its norm, its positions) on the coordinator, which sees only the masked sum.
/// </summary>
internal static class SecureAggregationRefusals
{
    private const string Prefix = "secure-aggregation: ";

    public static IEnumerable<string> Of(FederationSettings s)
    {
        if (FederationSettingsValidator.CombinesUpdatesWhole(s.Strategy))
            yield return $"{Prefix}strategy '{s.Strategy}' combines the updates one by one, and the coordinator sees only their masked sum; use a strategy that steps with the mean (fedavg, fedprox, fedavgm, fedadam, fedyogi, fedadagrad)";
        if (s.ClipNorm is not null || (s.AdaptiveClipNorm is { } adaptive && adaptive != AdaptiveClipping.Off))
            yield return $"{Prefix}clip-norm needs each update's norm, which the coordinator cannot see; the clamp at secure-levels x secure-scale bounds each client's values instead";
        if (s.DpNoiseMultiplier is not null)
            yield return $"{Prefix}dp-noise-multiplier is calibrated to a bound the coordinator enforces on each update, which it cannot under secure aggregation";
        if (s.Codec != "none")
            yield return $"{Prefix}codec '{s.Codec}' chooses positions per client, which leak and do not line up in a masked sum; secure-support and secure-levels compress the upload instead (codec none)";
        if (s.PruneDuringTraining > 0)
            yield return $"{Prefix}prune-during-training codes each update over the model's unpruned coordinates, while a secure round sends those of its shared support; use one or the other";
        if (2L * s.Clients * s.SecureLevels + 1 > 1L << 32)
            yield return $"{Prefix}{s.Clients} clients of {s.SecureLevels} levels each side can sum past 32 bits; lower secure-levels";
    }
}
