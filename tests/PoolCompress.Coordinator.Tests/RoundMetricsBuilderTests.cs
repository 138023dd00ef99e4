using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Transport;

namespace PoolCompress.Coordinator.Tests;

/// <summary>Each field of a closed round's metrics comes from what the round measured.</summary>
public sealed class RoundMetricsBuilderTests
{
    [Fact]
    public void A_closed_round_fills_every_field_but_the_test_metrics()
    {
        var contributions = new RoundContributions(new RoundAttempt(4, 1));
        contributions.Admit("a", "silo", new TrainingReport(0.4, 2, 100, 10, 20, UpdateNorm: 3, ProcessPeakMemoryBytes: 1000));
        contributions.Deliver("a", "silo");
        contributions.Admit("b", "silo", new TrainingReport(0.8, 6, 300, 10, 20, UpdateNorm: 1, ProcessPeakMemoryBytes: 500));
        contributions.Deliver("b", "silo");
        contributions.Reject("c");

        var metrics = RoundMetricsBuilder.Unevaluated(new ClosedRound(
            Round: 4, Selected: ["a", "b", "c", "d"], Contributions: contributions, Participants: 2, ModelVersion: 9,
            Spent: new TrafficSnapshot(700, 800, 90), SilosLost: 1, WallSeconds: 12.5, AggregationSeconds: 0.25,
            Links: null, ClipBound: 2, DpEpsilon: 1.5));

        Assert.Equal(4, metrics.Round);
        Assert.True(double.IsNaN(metrics.TestAccuracy) && double.IsNaN(metrics.TestLoss) && double.IsNaN(metrics.MacroF1));
        Assert.Empty(metrics.PerClassRecall);
        Assert.Equal(2, metrics.Participants);
        Assert.Equal(4, metrics.Selected);
        Assert.Equal(610, metrics.UplinkBytes);
        Assert.Equal(800, metrics.DownlinkBytes);
        Assert.Equal(90, metrics.RejectedBytes);
        Assert.Equal(12.5, metrics.WallSeconds);
        Assert.Equal(0.25, metrics.AggregationSeconds);
        Assert.Equal(9, metrics.ModelVersion);
        Assert.Equal(1, metrics.Rejected);
        Assert.Equal(1, metrics.Stragglers);
        Assert.Equal(0.6, metrics.MeanTrainLoss, precision: 12);
        Assert.Equal(4, metrics.MeanTrainSeconds, precision: 12);
        Assert.Equal(6, metrics.MaxTrainSeconds);
        Assert.Equal(300, metrics.ClientPeakMemoryBytes);
        Assert.Equal(1000, metrics.ProcessPeakMemoryBytes);
        Assert.Equal(1, metrics.Clipped);
        Assert.Equal(2, metrics.ClipBound);
        Assert.Equal(1.5, metrics.DpEpsilon);
        Assert.Equal(1, metrics.SilosLost);
        Assert.Equal(0, metrics.ModeledSeconds);
    }

    [Fact]
    public void An_update_counts_as_clipped_when_it_is_longer_than_its_own_bound()
    {
        var contributions = new RoundContributions(new RoundAttempt(2, 0));
        // A heavy client's bound is scaled below the round's (2): its update of norm 1.5 was clipped all the same.
        contributions.Admit("heavy", "silo", new TrainingReport(0.4, 2, 100, 10, 20, UpdateNorm: 1.5, ClipBound: 1));
        contributions.Deliver("heavy", "silo");
        contributions.Admit("median", "silo", new TrainingReport(0.4, 2, 100, 10, 20, UpdateNorm: 1.5, ClipBound: 2));
        contributions.Deliver("median", "silo");

        var metrics = RoundMetricsBuilder.Unevaluated(new ClosedRound(
            2, ["heavy", "median"], contributions, 2, 3, default, 0, 1, 0, null, ClipBound: 2, null));

        Assert.Equal(1, metrics.Clipped);
        Assert.Equal(2, metrics.ClipBound);
    }

    [Fact]
    public void A_round_without_reports_has_zero_training_figures()
    {
        var metrics = RoundMetricsBuilder.Unevaluated(new ClosedRound(
            1, ["a"], new RoundContributions(new RoundAttempt(1, 0)), 0, 2, default, 0, 1, 0, null, null, null));

        Assert.Equal(0, metrics.MeanTrainLoss);
        Assert.Equal(0, metrics.MaxTrainSeconds);
        Assert.Equal(0, metrics.Clipped);
        Assert.Equal(1, metrics.Stragglers);
    }
}
