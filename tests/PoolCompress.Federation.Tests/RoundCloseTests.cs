using Microsoft.Extensions.DependencyInjection;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;
using PoolCompress.Learning;

namespace PoolCompress.Federation.Tests;

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
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "1",
            ["Federation:MinClients"] = "1",
            ["Federation:Rounds"] = "1",
        }, services => services.AddSingleton<IGlobalModelEvaluator>(evaluator));
        await coordinator.Federation.Join("c1", 100);

        // Confirmed (asserted inside) although the evaluation it set off has not finished, and cannot until released.
        await SiloService.ContributeAsync(coordinator, "c1", new RoundAttempt(1, 0));
        await evaluator.Started.WaitAsync(TestCoordinator.Patience);
        Assert.Empty((await coordinator.Federation.GetStatus()).History);

        evaluator.Release();
        var status = await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);
        Assert.Equal(1, Assert.Single(status.History).Participants);
    }

    /// <summary>An evaluation that starts when asked and finishes only when the test releases it.</summary>
    private sealed class HeldEvaluator : IGlobalModelEvaluator
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => _started.Task;

        public void Release() => _released.TrySetResult();

        public async Task<EvaluationResult> EvaluateAsync(float[] weights)
        {
            _started.TrySetResult();
            await _released.Task;
            return new EvaluationResult(0.5, 1, 0.5, new double[10], 1);
        }
    }
}
