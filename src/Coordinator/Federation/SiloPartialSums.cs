using Microsoft.Extensions.Logging;
using PoolCompress.Coordinator.Aggregation;

namespace PoolCompress.Coordinator.Federation;

/// <summary>The partial sums held by the cluster's <see cref="IPartialAggregateGrain"/>s, one per silo.</summary>
internal sealed class SiloPartialSums(IGrainFactory grains, IClusterMembershipService membership, ILogger logger) : IPartialSums
{
    public IEnumerable<string> LiveKeys(string federationId) =>
        membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => PartialAggregateKey.For(federationId, m.SiloAddress));

    public async Task<CollectedPartial> Collect(string partialKey, RoundAttempt attempt)
    {
        try
        {
            return await grains.GetGrain<IPartialAggregateGrain>(partialKey).Collect(attempt);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            logger.LogWarning("Round {Round}: partial sum {Key} could not be collected: {Reason}", attempt.Round, partialKey, e.Message);
            return CollectedPartial.Lost;
        }
    }

    public bool IsGone(string partialKey) =>
        !membership.CurrentSnapshot.Members.Values.Any(m => m.Status != SiloStatus.Dead && PartialAggregateKey.Names(partialKey, m.SiloAddress));
}
