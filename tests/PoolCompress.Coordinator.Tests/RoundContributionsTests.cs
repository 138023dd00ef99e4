using PoolCompress.Coordinator.Federation;

namespace PoolCompress.Coordinator.Tests;

/// <summary>The federation grain's record of where each update of a round attempt went, checked against the silos' partial sums.</summary>
public sealed class RoundContributionsTests
{
    private const string SiloA = "default|a", SiloB = "default|b";
    private static readonly TrainingReport Training = new(0.5, 1, 0, 0, 0);

    private static RoundContributions TwoDeliveredOnA_OneOnB()
    {
        var round = new RoundContributions(new RoundAttempt(3, 0));
        foreach (var (client, silo) in new[] { ("c1", SiloA), ("c2", SiloA), ("c3", SiloB) })
        {
            round.Admit(client, silo, Training);
            Assert.True(round.Deliver(client, silo));
        }
        return round;
    }

    [Fact]
    public void Sums_holding_exactly_what_was_delivered_reconcile()
    {
        var round = TwoDeliveredOnA_OneOnB();

        Assert.True(round.Reconcile(SiloA, ["c2", "c1"]));
        Assert.True(round.Reconcile(SiloB, ["c3"]));
        Assert.Equal(3, round.Delivered);
    }

    [Fact]
    public void A_sum_lost_with_its_silo_does_not_reconcile()
    {
        var round = TwoDeliveredOnA_OneOnB();

        Assert.False(round.Reconcile(SiloB, []));
        Assert.False(round.Reconcile(SiloA, ["c1"]));
    }

    [Fact]
    public void A_sum_holding_an_update_never_admitted_there_does_not_reconcile()
    {
        var round = TwoDeliveredOnA_OneOnB();

        Assert.False(round.Reconcile(SiloA, ["c1", "c2", "c3"]));
        Assert.False(round.Reconcile(SiloA, ["c1", "c2", "c2"]));
        Assert.False(round.Reconcile(SiloA, ["c1", "c2", "rogue"]));
    }

    [Fact]
    public void An_admitted_update_whose_add_landed_before_its_confirmation_counts_as_delivered()
    {
        var round = TwoDeliveredOnA_OneOnB();
        round.Admit("c4", SiloB, Training);

        Assert.True(round.Reconcile(SiloB, ["c3", "c4"]));
        Assert.True(round.IsDelivered("c4"));
    }

    [Fact]
    public void An_admitted_update_whose_add_never_landed_is_a_straggler_not_a_loss()
    {
        var round = TwoDeliveredOnA_OneOnB();
        round.Admit("c4", SiloB, Training);

        Assert.True(round.Reconcile(SiloB, ["c3"]));
        Assert.Equal(1, round.Stragglers(["c1", "c2", "c3", "c4"]));
    }

    [Fact]
    public void A_client_whose_silo_never_confirmed_may_submit_again_elsewhere_and_only_that_silo_counts()
    {
        var round = new RoundContributions(new RoundAttempt(1, 0));
        round.Admit("c1", SiloA, Training);
        Assert.True(round.HasAnswered("c1"));
        Assert.False(round.IsSettled("c1"));

        round.Admit("c1", SiloB, Training);

        Assert.False(round.Deliver("c1", SiloA));
        Assert.True(round.Deliver("c1", SiloB));
        Assert.True(round.IsSettled("c1"));
        Assert.Equal([SiloB], round.PartialKeys);
    }

    [Fact]
    public void Rejected_and_late_clients_are_settled_and_in_no_sum()
    {
        var round = new RoundContributions(new RoundAttempt(1, 0));
        round.Admit("c1", SiloA, Training);
        round.Reject("c1");
        round.MarkLate("c2", Training);

        Assert.True(round.IsSettled("c1"));
        Assert.True(round.IsSettled("c2"));
        Assert.Empty(round.PartialKeys);
        Assert.False(round.Reconcile(SiloA, ["c1"]));
        Assert.Equal(1, round.Stragglers(["c1", "c2"]));
        Assert.Equal(["c2"], round.Reports.Select(r => r.Key));
    }
}
