using System.Collections.Concurrent;

namespace PoolCompress.Coordinator.Transport;

/// <summary>
/// The socket counters the other silos of the cluster last reported to this one (<see cref="SiloTrafficReporter"/>),
/// by their partial aggregate's key: when one of them dies, what it carried up to its last report is still known
/// here. Kept for the life of the process, one entry per silo (a restarted silo is a new one).
/// </summary>
public sealed class SiloTrafficWitness
{
    private readonly ConcurrentDictionary<string, TrafficSnapshot> _reported = new(StringComparer.Ordinal);

    /// <summary>Records a report; counters only grow, so a report that arrives late never moves them back.</summary>
    public void Record(string siloKey, TrafficSnapshot counters) =>
        _reported.AddOrUpdate(siloKey, counters, (_, known) => TrafficSnapshot.Max(known, counters));

    public IReadOnlyDictionary<string, TrafficSnapshot> Reported => new Dictionary<string, TrafficSnapshot>(_reported);
}
