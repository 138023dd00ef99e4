using PoolCompress.Coordinator.Transport;

namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// One silo's socket counters as far as closed rounds have counted them. <see cref="Settled"/>: the silo is gone and
/// its last known counters were counted; a report of it that turns up later still counts, in the round it turns up in.
/// </summary>
[GenerateSerializer, Immutable, Alias("PoolCompress.SiloTraffic")]
public sealed record SiloTraffic([property: Id(0)] TrafficSnapshot Counted, [property: Id(1)] bool Settled);
