using PoolCompress.Coordinator.Aggregation;

namespace PoolCompress.Coordinator.Federation;

/// <summary>Where a round's partial sums are: one per silo, collected when the round closes.</summary>
internal interface IPartialSums
{
    /// <summary>The partial aggregate keys of the silos that are live now.</summary>
    IEnumerable<string> LiveKeys(string federationId);

    /// <summary>The partial sum under <paramref name="partialKey"/> for the attempt, or <see cref="CollectedPartial.Lost"/> with its silo.</summary>
    Task<CollectedPartial> Collect(string partialKey, RoundAttempt attempt);

    /// <summary>Whether the silo a partial aggregate key names has left the cluster for good: declared dead, or from before a restart.</summary>
    bool IsGone(string partialKey);
}
