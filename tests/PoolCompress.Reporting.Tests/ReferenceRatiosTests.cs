using PoolCompress.Contracts;

namespace PoolCompress.Reporting.Tests;

public sealed class ReferenceRatiosTests
{
    [Fact]
    public void A_run_is_compared_with_the_reference_over_the_rounds_it_ran()
    {
        var reference = Summary(rounds: 5, uplink: 1_000, downlink: 3_000);
        var run = Summary(rounds: 3, uplink: 10, downlink: 1_000);

        var ratios = ReferenceRatios.Of(run, reference);

        // The reference's first 3 rounds: 3,000 B up and 9,000 B down, over the run's 30 B and 3,000 B; in total
        // 12,000 B over 3,030 B, far from either direction's ratio.
        Assert.Equal(new ReferenceRatios(100.0, 3.0, 12_000.0 / 3_030), ratios);
    }

    [Fact]
    public void No_total_when_either_direction_has_no_ratio()
    {
        var reference = Summary(rounds: 3, uplink: 1_000, downlink: 3_000);

        var runWithoutDownlink = ReferenceRatios.Of(Summary(rounds: 3, uplink: 10, downlink: 0), reference);
        var againstReferenceWithoutUplink = ReferenceRatios.Of(Summary(rounds: 3, uplink: 10, downlink: 1_000), Summary(rounds: 3, uplink: 0, downlink: 3_000));

        Assert.Equal(new ReferenceRatios(100.0, null, null), runWithoutDownlink);
        Assert.Equal(new ReferenceRatios(null, 3.0, null), againstReferenceWithoutUplink);
    }

    [Fact]
    public void No_ratio_against_a_reference_that_ran_fewer_rounds()
    {
        Assert.Null(ReferenceRatios.Of(Summary(rounds: 4, uplink: 10, downlink: 10), Summary(rounds: 3, uplink: 100, downlink: 100)));
    }

    [Fact]
    public void No_ratio_for_a_run_without_rounds()
    {
        Assert.Null(ReferenceRatios.Of(Summary(rounds: 0, uplink: 10, downlink: 10), Summary(rounds: 3, uplink: 100, downlink: 100)));
    }

    [Fact]
    public void A_summary_outside_a_study_has_no_reference_ratio_fields()
    {
        using var folder = new TempFolder();

        RunFiles.Write(folder.Path, Summary(rounds: 2, uplink: 10, downlink: 10));

        Assert.DoesNotContain("ratio_vs_reference", File.ReadAllText(Path.Combine(folder.Path, RunFiles.SummaryFile)));
    }

    private static RunSummary Summary(int rounds, long uplink, long downlink)
    {
        var history = Enumerable.Range(1, rounds).Select(r => RunFixtures.Round(r, 0.9, uplink, wall: 1, modeled: 1, downlink)).ToList();
        return new RunSummary(new FederationSettings(), new ModelSummary("cnn", null, 100, 10), history, 0.9,
            history.Sum(r => r.UplinkBytes), history.Sum(r => r.DownlinkBytes), rounds, "synthetic", "none", 1, Clients: []);
    }
}
