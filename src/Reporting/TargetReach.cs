using PoolCompress.Contracts;

namespace PoolCompress.Reporting;

/// <summary>The first round in which a run reached a target test accuracy, and what it had spent by the end of it.</summary>
public sealed record TargetReach(int Round, long UplinkBytes, double ModeledSeconds, double WallSeconds)
{
    /// <summary>
    /// Scans <paramref name="rounds"/> in the order they ran; totals include the reaching round itself, since its
    /// update had to be sent before its accuracy existed. Null when no round reached <paramref name="targetAccuracy"/>.
    /// </summary>
    public static TargetReach? Find(IReadOnlyList<RoundMetrics> rounds, double targetAccuracy)
    {
        long uplink = 0;
        double modeled = 0, wall = 0;
        foreach (var round in rounds)
        {
            uplink += round.UplinkBytes;
            modeled += round.ModeledSeconds;
            wall += round.WallSeconds;
            if (RoundAccuracy.Of(round) >= targetAccuracy) return new TargetReach(round.Round, uplink, modeled, wall);
        }
        return null;
    }
}
