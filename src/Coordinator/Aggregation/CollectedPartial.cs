using PoolCompress.Coordinator.Transport;

namespace PoolCompress.Coordinator.Aggregation;

/// <summary>
/// What the federation grain gets from one silo when it reduces a round: the silo's partial sum for the attempt, its
/// sockets' counters, and the counters the other silos last reported to it (<see cref="SiloTrafficWitness"/>), so
/// that a round's traffic is every silo's, including one that died since.
/// </summary>
[GenerateSerializer, Immutable, Alias("PoolCompress.CollectedPartial")]
public sealed record CollectedPartial(
    [property: Id(0)] PartialSum Sum,
    [property: Id(1)] TrafficSnapshot Traffic,
    [property: Id(2)] bool SiloLost = false,
    [property: Id(3)] IReadOnlyDictionary<string, TrafficSnapshot>? Witnessed = null)
{
    /// <summary>From a silo that is gone: no sum, and no counters of its own.</summary>
    public static CollectedPartial Lost { get; } = new(PartialSum.Empty, default, SiloLost: true);
}
