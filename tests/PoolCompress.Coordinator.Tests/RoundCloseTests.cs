using Microsoft.Extensions.DependencyInjection;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;

namespace PoolCompress.Coordinator.Tests;

/// <summary>
/// Closing a round (reduce, evaluation, save) runs in the federation grain's own turn, never inside the call of the
/// client whose update settled the round: a slow evaluation cannot time that call out and make the client resend
/// an update that was already counted.
/// </summary>
public sealed class RoundCloseTests
{
    [Fact]
    public async Task The_update_that_settles_a_round_is_confirmed_while_the_evaluation_is_still_running()
    {
        var evaluator = new HeldEvaluator();
        await using var coordinator = await StartWithOneClientAsync(evaluator, rounds: 1);

        // Confirmed (asserted inside) although the evaluation it set off has not finished, and cannot until released.
        await SiloService.ContributeAsync(coordinator, "c1", new RoundAttempt(1, 0));
        await evaluator.Started.WaitAsync(TestCoordinator.Patience);
        Assert.Empty((await coordinator.Federation.GetStatus()).History);
        // The last round's evaluation holds up the end of the federation, not the grain: a task poll is answered.
        Assert.Equal(AssignmentKind.Wait, (await coordinator.Federation.GetAssignment("c1").WaitAsync(TestCoordinator.Patience)).Kind);
        Assert.NotEqual(FederationPhase.Done, (await coordinator.Federation.GetStatus()).Phase);

        evaluator.Release();
        var status = await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);
        Assert.Equal(1, Assert.Single(status.History).Participants);
    }

    [Fact]
    public async Task The_next_round_starts_while_the_last_model_is_evaluated_and_the_history_stays_in_round_order()
    {
        var evaluator = new HeldEvaluator();
        await using var coordinator = await StartWithOneClientAsync(evaluator, rounds: 3);

        await SiloService.ContributeAsync(coordinator, "c1", new RoundAttempt(1, 0));
        await evaluator.Started.WaitAsync(TestCoordinator.Patience);
        // Round 1's model is still being evaluated, yet round 2 runs and a task poll is answered at once.
        Assert.Equal(2L, (await coordinator.TrainingTaskAsync("c1", 2).WaitAsync(TestCoordinator.Patience)).ModelVersion);
        await SiloService.ContributeAsync(coordinator, "c1", new RoundAttempt(2, 0), baseModelVersion: 2);
        await coordinator.TrainingTaskAsync("c1", 3).WaitAsync(TestCoordinator.Patience);
        Assert.Empty((await coordinator.Federation.GetStatus()).History);

        evaluator.Release();
        await SiloService.ContributeAsync(coordinator, "c1", new RoundAttempt(3, 0), baseModelVersion: 3);
        var status = await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);
        Assert.Equal([1, 2, 3], status.History.Select(r => r.Round));
        Assert.Equal([2L, 3L, 4L], status.History.Select(r => r.ModelVersion));
        Assert.All(status.History, r => Assert.Equal(0.5, r.TestAccuracy));
    }

    private static async Task<TestCoordinator> StartWithOneClientAsync(HeldEvaluator evaluator, int rounds)
    {
        var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "1",
            ["Federation:MinClients"] = "1",
            ["Federation:Rounds"] = rounds.ToString(),
        }, services => services.AddSingleton<IGlobalModelEvaluator>(evaluator));
        await coordinator.Federation.Join("c1", 100);
        return coordinator;
    }
}
