using PoolCompress.Coordinator.Transport;

namespace PoolCompress.Coordinator.Aggregation;

/// <summary>
/// What the federation grain gets from one silo when it reduces a round: the silo's partial sum for the attempt,
/// and the bytes the silo's sockets carried since it last reported them, so that a round's traffic is every
/// silo's and not only that of the silo hosting the federation grain.
/// </summary>
[GenerateSerializer, Immutable, Alias("PoolCompress.CollectedPartial")]
public sealed record CollectedPartial([property: Id(0)] PartialSum Sum, [property: Id(1)] TrafficSnapshot Traffic, [property: Id(2)] bool SiloLost = false)
{
    /// <summary>From a silo that is gone: no sum, and its socket counters are gone with it.</summary>
    public static CollectedPartial Lost { get; } = new(PartialSum.Empty, default, SiloLost: true);
}
