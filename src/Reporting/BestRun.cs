using PoolCompress.Contracts;
namespace PoolCompress.Reporting;

/// <summary>The run a reader should look at first, and in words why it won.</summary>
public sealed record BestRun(StudyRunResult Result, string Reason)
{
    /// <summary>
    /// The question a study answers is which run reaches the target soonest over the clients' links: the least
    /// modeled time under modeled links, the least wall time under really shaped links, and without emulation the
    /// fewest uplink bytes (loopback time says nothing about a network). With no run at the target, or no target,
    /// the most accurate run wins, the cheaper in uplink on a tie.
    /// </summary>
    public static BestRun? Pick(StudyResults results)
    {
        var reached = results.Runs.Where(r => r.Reach is not null).ToList();
        if (reached.Count > 0)
        {
            var (cost, what) = results.Manifest.LinkMode switch
            {
                LinkMode.Modeled => ((Func<TargetReach, double>)(reach => reach.ModeledSeconds), "modeled time over the emulated links"),
                LinkMode.Real => (reach => reach.WallSeconds, "wall time over the shaped links"),
                _ => (reach => reach.UplinkBytes, "uplink traffic"),
            };
            var soonest = reached.OrderBy(r => cost(r.Reach!)).ThenByDescending(r => r.Summary.FinalAccuracy).First();
            return new BestRun(soonest, $"reached the target accuracy of {ReportFormat.Percent(results.TargetAccuracy!.Value)} with the least {what}");
        }
        var mostAccurate = results.Runs
            .OrderByDescending(r => r.Summary.FinalAccuracy).ThenBy(r => r.Summary.UplinkBytesTotal).FirstOrDefault();
        if (mostAccurate is null) return null;
        string reason = results.TargetAccuracy is { } target
            ? $"no run reached the target accuracy of {ReportFormat.Percent(target)}; this one came closest"
            : "highest final accuracy (the study set no target accuracy)";
        return new BestRun(mostAccurate, reason);
    }
}
