using PoolCompress.Reporting;

namespace PoolCompress.Reporting.Tests;

public sealed class TargetReachTests
{
    private static readonly IReadOnlyList<Contracts.RoundMetrics> Rounds =
    [
        RunFixtures.Round(1, accuracy: 0.50, uplink: 1000, wall: 2.0, modeled: 10),
        RunFixtures.Round(2, accuracy: 0.80, uplink: 2000, wall: 3.0, modeled: 20),
        RunFixtures.Round(3, accuracy: 0.75, uplink: 4000, wall: 5.0, modeled: 40),
        RunFixtures.Round(4, accuracy: 0.90, uplink: 8000, wall: 7.0, modeled: 80),
    ];

    [Fact]
    public void The_first_round_at_the_target_counts_its_own_cost()
    {
        Assert.Equal(new TargetReach(2, 3000, 30, 5.0), TargetReach.Find(Rounds, 0.80));
    }

    [Fact]
    public void A_later_dip_below_the_target_does_not_move_the_first_reach()
    {
        Assert.Equal(new TargetReach(2, 3000, 30, 5.0), TargetReach.Find(Rounds, 0.75));
    }

    [Fact]
    public void A_target_reached_only_at_the_end_sums_every_round()
    {
        Assert.Equal(new TargetReach(4, 15000, 150, 17.0), TargetReach.Find(Rounds, 0.85));
    }

    [Fact]
    public void A_target_never_reached_gives_null()
    {
        Assert.Null(TargetReach.Find(Rounds, 0.95));
        Assert.Null(TargetReach.Find([], 0.1));
    }

    [Fact]
    public void A_target_met_in_the_first_round_costs_only_that_round()
    {
        Assert.Equal(new TargetReach(1, 1000, 10, 2.0), TargetReach.Find(Rounds, 0.5));
    }
}
