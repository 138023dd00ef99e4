namespace PoolCompress.Integration.Tests;

/// <summary>
/// Several coordinator silos serve one federation, and a silo SIGKILLed mid-round costs at most that round: the
/// surviving silo carries the federation through every round with every client, and the final model is as
/// accurate as the same federation's without the kill (<see cref="UndisturbedMultiSiloRun"/>). Whichever silo is
/// lost, the round in flight loses updates (the victim's partial sum, and activations whose directory entries
/// lived on the victim), so it must be detected and run again rather than reduced from what is left.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class SiloFailoverTests(UndisturbedMultiSiloRun undisturbed) : IClassFixture<UndisturbedMultiSiloRun>
{
    [Fact]
    public async Task Losing_the_silo_that_joined_second_costs_at_most_the_round_in_flight() =>
        AssertSameFederation(await MultiSiloFederation.RunAsync(undisturbed.Redis, undisturbed.NewDirectory("second-lost"), "second-lost", victim: 1));

    [Fact]
    public async Task Losing_the_silo_that_created_the_federation_grain_costs_at_most_the_round_in_flight() =>
        AssertSameFederation(await MultiSiloFederation.RunAsync(undisturbed.Redis, undisturbed.NewDirectory("first-lost"), "first-lost", victim: 0));

    private void AssertSameFederation(MultiSiloFederation.Outcome failedOver)
    {
        var reference = undisturbed.Outcome;
        foreach (var run in new[] { reference, failedOver })
        {
            Assert.Equal(Enumerable.Range(1, MultiSiloFederation.Rounds), run.Rounds.Select(r => r.GetProperty("round").GetInt32()));
            Assert.Equal(Enumerable.Range(2, MultiSiloFederation.Rounds).Select(v => (long)v), run.Rounds.Select(r => r.GetProperty("model_version").GetInt64()));
            Assert.All(run.Rounds, r => Assert.Equal(MultiSiloFederation.Clients, r.GetProperty("participants").GetInt32()));
        }
        Assert.True(reference.FinalAccuracy > 0.5, $"the undisturbed federation only reached {reference.FinalAccuracy:P2}");
        // Every round's model, not only the last: a round reduced from what a lost silo left, or retrained against
        // a residual that already gave up the lost update, would differ.
        Assert.Equal(reference.ModelHashes, failedOver.ModelHashes);
    }
}
