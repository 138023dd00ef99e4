using PoolCompress.Coordinator.Federation;

namespace PoolCompress.Coordinator.Tests;

/// <summary>
/// Liveness of selection, driven through the federation grain: a client that misses round deadlines in a row is
/// no longer selected until it calls again, and an over-selected round closes once it has the updates it needs.
/// </summary>
public sealed class SelectionPoolTests
{
    private static Task<TestCoordinator> StartAsync(Dictionary<string, string?> settings)
    {
        settings["Federation:MinClients"] = "1";
        return TestCoordinator.StartAsync(settings);
    }

    [Fact]
    public async Task A_client_that_missed_the_deadline_is_not_selected_until_it_calls_again()
    {
        await using var coordinator = await StartAsync(new()
        {
            ["Federation:Clients"] = "3",
            ["Federation:Rounds"] = "3",
            ["Federation:RoundTimeout"] = "00:00:05",
            ["Federation:DropAfterMissed"] = "1",
        });
        var federation = coordinator.Federation;
        foreach (string client in new[] { "c1", "c2", "c3" }) await federation.Join(client, 100);

        // Round 1: c3 never answers and the round ends at its deadline.
        await SiloService.ContributeAsync(coordinator, "c1", new RoundAttempt(1, 0));
        await SiloService.ContributeAsync(coordinator, "c2", new RoundAttempt(1, 0));
        await WaitForRounds(coordinator, 1);

        // Round 2 asks only c1 and c2, so it ends with their updates, not at a deadline; c3 calls meanwhile.
        Assert.Equal(AssignmentKind.Wait, (await federation.GetAssignment("c3")).Kind);
        await SiloService.ContributeAsync(coordinator, "c1", new RoundAttempt(2, 0), baseModelVersion: 2);
        await SiloService.ContributeAsync(coordinator, "c2", new RoundAttempt(2, 0), baseModelVersion: 2);
        await WaitForRounds(coordinator, 2);

        // Having called, c3 is selected again.
        Assert.Equal(AssignmentKind.Train, (await federation.GetAssignment("c3")).Kind);
        foreach (string client in new[] { "c1", "c2", "c3" })
            await SiloService.ContributeAsync(coordinator, client, new RoundAttempt(3, 0), baseModelVersion: 3);
        var status = await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);

        Assert.Equal([3, 2, 3], status.History.Select(r => r.Selected));
        Assert.Equal([2, 2, 3], status.History.Select(r => r.Participants));
    }

    [Fact]
    public async Task An_over_selected_round_closes_when_it_has_the_updates_it_needs()
    {
        // Half of 4 clients are needed; over-selection by 2 asks all 4. The deadline is far beyond the test's patience.
        await using var coordinator = await StartAsync(new()
        {
            ["Federation:Clients"] = "4",
            ["Federation:Rounds"] = "1",
            ["Federation:Fraction"] = "0.5",
            ["Federation:OverSelect"] = "2",
            ["Federation:RoundTimeout"] = "01:00:00",
        });
        var federation = coordinator.Federation;
        foreach (string client in new[] { "c1", "c2", "c3", "c4" }) await federation.Join(client, 100);
        foreach (string client in new[] { "c1", "c2", "c3", "c4" })
            Assert.Equal(AssignmentKind.Train, (await federation.GetAssignment(client)).Kind);

        await SiloService.ContributeAsync(coordinator, "c2", new RoundAttempt(1, 0));
        await SiloService.ContributeAsync(coordinator, "c4", new RoundAttempt(1, 0));
        var status = await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);

        var round = Assert.Single(status.History);
        Assert.Equal((4, 2), (round.Selected, round.Participants));
        Assert.Equal(UpdateVerdict.Stale, await federation.CheckUpdate("c1", 1, 1));
    }

    private static Task WaitForRounds(TestCoordinator coordinator, int rounds) =>
        coordinator.WaitUntilAsync(status => status.History.Count >= rounds, $"{rounds} completed rounds");
}
