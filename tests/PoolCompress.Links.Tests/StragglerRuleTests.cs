namespace PoolCompress.Links.Tests;

public class StragglerRuleTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private static ClientTiming Finishing(TimeSpan total) => new(TimeSpan.FromSeconds(1), total - TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2));

    [Fact]
    public void Just_under_the_deadline_is_on_time() => Assert.False(ModeledRound.IsStraggler(Finishing(Deadline - Tick), Deadline));

    [Fact]
    public void Exactly_at_the_deadline_is_on_time() => Assert.False(ModeledRound.IsStraggler(Finishing(Deadline), Deadline));

    [Fact]
    public void Just_over_the_deadline_is_a_straggler() => Assert.True(ModeledRound.IsStraggler(Finishing(Deadline + Tick), Deadline));

    [Fact]
    public void Without_stragglers_the_round_lasts_as_long_as_its_slowest_client()
    {
        ClientTiming[] selected = [Finishing(TimeSpan.FromSeconds(4)), Finishing(Deadline), Finishing(TimeSpan.FromSeconds(7))];

        Assert.Equal(Deadline, ModeledRound.Duration(selected, Deadline));
        Assert.Equal(TimeSpan.FromSeconds(7), ModeledRound.Duration(selected[2..], Deadline));
    }

    [Fact]
    public void With_a_straggler_the_round_lasts_until_the_deadline()
    {
        ClientTiming[] selected = [Finishing(TimeSpan.FromSeconds(4)), Finishing(Deadline + Tick)];

        Assert.Equal(Deadline, ModeledRound.Duration(selected, Deadline));
    }

    [Fact]
    public void A_round_without_clients_takes_no_time() => Assert.Equal(TimeSpan.Zero, ModeledRound.Duration([], Deadline));
}
