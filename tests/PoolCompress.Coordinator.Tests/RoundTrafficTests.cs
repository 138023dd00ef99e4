using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Transport;

namespace PoolCompress.Coordinator.Tests;

/// <summary>How a round's bytes are counted from the silos' counters, live or last reported, across closes.</summary>
public sealed class RoundTrafficTests
{
    private const string SiloA = "default|a", SiloB = "default|b";

    private static (string, CollectedPartial) Live(string key, TrafficSnapshot own, params (string Peer, TrafficSnapshot Reported)[] witnessed) =>
        (key, new CollectedPartial(PartialSum.Empty, own, Witnessed: witnessed.ToDictionary(w => w.Peer, w => w.Reported)));

    private static (TrafficSnapshot Spent, int SilosLost) Close(Dictionary<string, SiloTraffic> counted, string[] gone,
        params (string, CollectedPartial)[] collected) =>
        RoundTraffic.Close(counted, collected, new Dictionary<string, TrafficSnapshot>(), gone.Contains);

    [Fact]
    public void A_round_counts_each_live_silo_since_the_previous_close()
    {
        var counted = new Dictionary<string, SiloTraffic>();
        Close(counted, [], Live(SiloA, new(100, 1_000, 10)), Live(SiloB, new(50, 500)));

        var (spent, lost) = Close(counted, [], Live(SiloA, new(130, 1_600, 15)), Live(SiloB, new(80, 700)));

        Assert.Equal(new TrafficSnapshot(60, 800, 5), spent);
        Assert.Equal(0, lost);
    }

    [Fact]
    public void A_dead_silo_counts_up_to_its_last_report_to_a_live_one_once_and_is_then_forgotten()
    {
        var counted = new Dictionary<string, SiloTraffic>();
        Close(counted, [], Live(SiloA, new(100, 1_000)), Live(SiloB, new(50, 500)));

        // B served more (long polls, a download, a refused upload), reported it to A, and died.
        var (spent, lost) = Close(counted, [SiloB], Live(SiloA, new(100, 1_000), (SiloB, new(90, 9_500, 30))), (SiloB, CollectedPartial.Lost));
        Assert.Equal(new TrafficSnapshot(40, 9_000, 30), spent);
        Assert.Equal(1, lost);

        // A report of B's that turns up late still counts, once; the dead silo is not lost again.
        (spent, lost) = Close(counted, [SiloB], Live(SiloA, new(100, 1_000), (SiloB, new(95, 9_500, 30))));
        Assert.Equal(new TrafficSnapshot(5, 0, 0), spent);
        Assert.Equal(0, lost);

        // Once nobody reports B any more (A restarted), there is nothing left to count of it.
        Close(counted, [SiloB], Live("default|a2", default));
        Assert.DoesNotContain(SiloB, counted.Keys);
    }

    [Fact]
    public void A_silo_whose_collection_failed_but_that_is_not_dead_counts_from_its_reports_and_is_not_lost()
    {
        var counted = new Dictionary<string, SiloTraffic>();
        Close(counted, [], Live(SiloA, default), Live(SiloB, new(50, 500)));

        var (spent, lost) = Close(counted, [], Live(SiloA, default, (SiloB, new(70, 600))), (SiloB, CollectedPartial.Lost));
        Assert.Equal(new TrafficSnapshot(20, 100, 0), spent);
        Assert.Equal(0, lost);

        (spent, _) = Close(counted, [], Live(SiloA, default), Live(SiloB, new(75, 650)));
        Assert.Equal(new TrafficSnapshot(5, 50, 0), spent);
    }

    [Fact]
    public void A_dead_silo_never_reported_still_counts_the_task_bytes_it_sent_with_its_admissions()
    {
        var counted = new Dictionary<string, SiloTraffic>();
        Close(counted, [], Live(SiloA, default), Live(SiloB, new(50, 500)));

        var (spent, lost) = RoundTraffic.Close(counted, [Live(SiloA, default), (SiloB, CollectedPartial.Lost)],
            new Dictionary<string, TrafficSnapshot> { [SiloB] = new(1_000, 6_000) }, key => key == SiloB);

        Assert.Equal(new TrafficSnapshot(1_000, 6_000, 0), spent);
        Assert.Equal(1, lost);
    }

    [Fact]
    public void A_whole_cluster_restarted_counts_its_new_silo_from_zero_and_the_old_one_as_lost()
    {
        var counted = new Dictionary<string, SiloTraffic>();
        Close(counted, [], Live(SiloA, new(100, 1_000)));

        var (spent, lost) = Close(counted, [SiloA], Live("default|a2", new(20, 200)));

        Assert.Equal(new TrafficSnapshot(20, 200, 0), spent);
        Assert.Equal(1, lost);
    }
}
