using PoolCompress.Contracts;

namespace PoolCompress.Reporting.Tests;

public sealed class RunCheckpointTests
{
    private const string RunId = "cnn__iid__topk0.01__s1", DenseId = "cnn__iid__none__s1";

    // Every round costs a different number of bytes, so a slice one round too short or too long changes each ratio.
    private static readonly RunSummary Dense = Summary([0.55, 0.70, 0.72, 0.90], uplink: [1_000, 3_000, 5_000, 7_000], downlink: [1_000, 1_000, 1_000, 1_000]);
    private static readonly RunSummary Compressed = Summary([0.50, 0.60, 0.70, 0.80], uplink: [10, 20, 30, 40], downlink: [100, 200, 300, 400]);

    private static readonly StudyRunResult Run = new(new StudyManifestRun(RunId, DenseId, "cnn", null, "iid", "topk:0.01", 1), Compressed, Dense, null);

    [Fact]
    public void A_checkpoint_compares_the_run_with_its_reference_over_rounds_one_to_n()
    {
        var checkpoint = RunCheckpoint.At(Run, 2)!;

        Assert.Equal(2, checkpoint.Round);
        Assert.Equal(0.60, checkpoint.Accuracy);
        Assert.Equal(0.60 - 0.70, checkpoint.AccuracyDeltaVsDense!.Value, 12);
        // Rounds 1-2: 4,000 B up and 2,000 B down for dense, 30 B and 300 B for the run; 6,000 B over 330 B in total.
        Assert.Equal(new ReferenceRatios(4_000.0 / 30, 2_000.0 / 300, 6_000.0 / 330), checkpoint.VsReference);
        Assert.Equal((30L, 300L), (checkpoint.UplinkBytes, checkpoint.DownlinkBytes));
    }

    [Fact]
    public void At_the_final_round_a_checkpoint_shows_what_runs_csv_shows()
    {
        var final = RunCheckpoint.At(Run, Run.FinalRound)!;

        Assert.Equal((Compressed.FinalAccuracy, Run.AccuracyDeltaVsDense, Run.VsReference), (final.Accuracy, final.AccuracyDeltaVsDense, final.VsReference));
        Assert.Equal((Compressed.UplinkBytesTotal, Compressed.DownlinkBytesTotal), (final.UplinkBytes, final.DownlinkBytes));
    }

    [Fact]
    public void A_run_is_shown_at_each_checkpoint_before_its_last_round_and_at_its_last()
    {
        Assert.Equal([1, 3, 4], RunCheckpoint.Of(Run, [1, 3]).Select(c => c.Round));
        Assert.Equal([4], RunCheckpoint.Of(Run, []).Select(c => c.Round));
        Assert.Equal([2, 4], RunCheckpoint.Of(Run, [2, 4, 6]).Select(c => c.Round));
    }

    [Fact]
    public void Without_a_reference_that_far_a_checkpoint_has_no_delta_or_ratios()
    {
        var shortDense = Summary([0.55], uplink: [1_000], downlink: [1_000]);

        var checkpoint = RunCheckpoint.At(Run with { Reference = shortDense }, 2)!;
        var unfinishedReference = RunCheckpoint.At(Run with { Reference = null }, 2)!;

        Assert.Equal((0.60, (double?)null, (ReferenceRatios?)null), (checkpoint.Accuracy, checkpoint.AccuracyDeltaVsDense, checkpoint.VsReference));
        Assert.Equal(((double?)null, (ReferenceRatios?)null), (unfinishedReference.AccuracyDeltaVsDense, unfinishedReference.VsReference));
    }

    private static RunSummary Summary(double[] accuracy, long[] uplink, long[] downlink)
    {
        var history = accuracy.Select((a, i) => RunFixtures.Round(i + 1, a, uplink[i], wall: 1, modeled: 1, downlink[i])).ToList();
        return new RunSummary(new FederationSettings(), new ModelSummary("cnn", null, 100, 10), history, accuracy[^1],
            uplink.Sum(), downlink.Sum(), accuracy.Length, "synthetic", "none", 1, Clients: []);
    }
}
