using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Transport;

namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// A round's bytes, from every silo's socket counters (which only grow, per silo generation): what a silo carried
/// since the previous round closed is its counters now minus what that close counted, which the federation's state
/// keeps (<see cref="FederationState.SiloTraffic"/>), so a re-created federation grain neither loses nor repeats
/// bytes. A live silo's counters come with its partial sum. A silo that is gone is counted from the last report it
/// pushed to the others (<see cref="SiloTrafficReporter"/>), which they hand over with their sums, and at least from
/// the task bytes of the updates admitted into its sum this round: what it carried after its last report, at most one
/// report period, is all that is lost, and the round says how many silos it lost that way.
/// </summary>
public static class RoundTraffic
{
    /// <param name="counted">What earlier rounds counted, by partial aggregate key; brought up to this close.</param>
    /// <param name="collected">Each collected partial aggregate's key and what it handed over.</param>
    /// <param name="lostTaskTraffic">Task bytes of updates admitted this round into the sums of silos found gone.</param>
    /// <param name="isGone">Whether the silo a key names has left the cluster for good (dead, or unknown to it).</param>
    public static (TrafficSnapshot Spent, int SilosLost) Close(
        Dictionary<string, SiloTraffic> counted,
        IReadOnlyList<(string Key, CollectedPartial Partial)> collected,
        IReadOnlyDictionary<string, TrafficSnapshot> lostTaskTraffic,
        Func<string, bool> isGone)
    {
        var now = new Dictionary<string, TrafficSnapshot>(StringComparer.Ordinal);
        var live = new HashSet<string>(StringComparer.Ordinal);
        void See(string key, TrafficSnapshot counters) =>
            now[key] = now.TryGetValue(key, out var seen) ? TrafficSnapshot.Max(seen, counters) : counters;

        foreach (var (key, partial) in collected)
        {
            if (!partial.SiloLost)
            {
                live.Add(key);
                See(key, partial.Traffic);
            }
            foreach (var (peer, reported) in partial.Witnessed ?? new Dictionary<string, TrafficSnapshot>()) See(peer, reported);
        }
        foreach (var (key, taskBytes) in lostTaskTraffic)
            See(key, (counted.GetValueOrDefault(key)?.Counted ?? default) + taskBytes);

        TrafficSnapshot spent = default;
        int silosLost = 0;
        foreach (string key in now.Keys.Union(counted.Keys, StringComparer.Ordinal).ToList())
        {
            var before = counted.GetValueOrDefault(key);
            // A settled silo nobody reports any more cannot turn up again: forgetting it keeps this bounded.
            if (before is { Settled: true } && !now.ContainsKey(key))
            {
                counted.Remove(key);
                continue;
            }
            var counters = TrafficSnapshot.Max(now.GetValueOrDefault(key), before?.Counted ?? default);
            spent += counters - (before?.Counted ?? default);
            bool settled = !live.Contains(key) && isGone(key);
            if (settled && before is not { Settled: true }) silosLost++;
            counted[key] = new SiloTraffic(counters, settled);
        }
        return (spent, silosLost);
    }
}
