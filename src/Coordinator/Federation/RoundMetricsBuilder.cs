using PoolCompress.Coordinator.Transport;

namespace PoolCompress.Coordinator.Federation;

/// <summary>What a closed round measured, before the central evaluation adds its test metrics.</summary>
internal sealed record ClosedRound(
    int Round,
    IReadOnlyList<string> Selected,
    RoundContributions Contributions,
    int Participants,
    long ModelVersion,
    TrafficSnapshot Spent,
    int SilosLost,
    double WallSeconds,
    double AggregationSeconds,
    EmulatedLinks? Links,
    double? ClipBound,
    double? DpEpsilon);

/// <summary>Builds a round's <see cref="RoundMetrics"/>; the test metrics stay NaN until the central evaluation is done.</summary>
internal static class RoundMetricsBuilder
{
    public static RoundMetrics Unevaluated(ClosedRound closed)
    {
        var reports = closed.Contributions.Reports.Select(r => r.Value).ToList();
        int stragglers = closed.Contributions.Stragglers(closed.Selected);
        return new RoundMetrics(
            Round: closed.Round,
            TestAccuracy: double.NaN,
            TestLoss: double.NaN,
            Participants: closed.Participants,
            Selected: closed.Selected.Count,
            UplinkBytes: closed.Spent.Accepted,
            DownlinkBytes: closed.Spent.Sent,
            WallSeconds: closed.WallSeconds,
            MacroF1: double.NaN,
            MeanTrainLoss: ClientFigures.Mean(reports.Select(r => r.MeanLoss)),
            ModelVersion: closed.ModelVersion,
            AggregationSeconds: closed.AggregationSeconds,
            Rejected: closed.Contributions.Rejected,
            PerClassRecall: [],
            Stragglers: stragglers,
            ModeledSeconds: closed.Links?.RoundDuration(everyoneOnTime: stragglers == 0).TotalSeconds ?? 0,
            MeanTrainSeconds: ClientFigures.Mean(reports.Select(r => r.Seconds)),
            MaxTrainSeconds: reports.Select(r => r.Seconds).DefaultIfEmpty().Max(),
            ClientPeakMemoryBytes: reports.Select(r => r.PeakMemoryBytes).DefaultIfEmpty().Max(),
            RejectedBytes: closed.Spent.Rejected,
            Clipped: reports.Count(r => r.UpdateNorm > (r.ClipBound ?? closed.ClipBound)),
            DpEpsilon: closed.DpEpsilon,
            ClipBound: closed.ClipBound,
            ProcessPeakMemoryBytes: reports.Select(r => r.ProcessPeakMemoryBytes).DefaultIfEmpty().Max(),
            SilosLost: closed.SilosLost);
    }
}
