using PoolCompress.Coordinator.Aggregation;

namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// The FedAvg weight a client gets for the sample count it claims at its first join. A claim is only a claim, so it
/// is capped (MaxSampleCount, at most <see cref="FedAvgAggregator.MaxWeight"/>: no client outweighs the cap, and no
/// number of clients can make the total wrap), or ignored altogether with EqualWeights, and under differential
/// privacy, whose bound on one client's share of the sum holds only if every client weighs the same.
/// </summary>
public static class ClientWeights
{
    public static long For(long claimedSamples, FederationSettings settings) =>
        settings.EqualWeights || settings.DpNoiseMultiplier is not null ? 1 : Math.Min(claimedSamples, settings.MaxSampleCount);
}
