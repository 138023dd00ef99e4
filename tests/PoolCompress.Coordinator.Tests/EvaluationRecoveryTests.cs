using Microsoft.Extensions.DependencyInjection;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;

namespace PoolCompress.Coordinator.Tests;

/// <summary>
/// A round whose central evaluation is still running when the coordinator dies is stored as awaiting evaluation
/// (grain state in Redis), and the coordinator started again on that storage evaluates its model version again: the
/// history holds that round with the metrics of an undisturbed run. The first coordinator's evaluation never ends,
/// and the grain has no shutdown hook, so stopping it leaves in storage what a kill would.
/// </summary>
public sealed class EvaluationRecoveryTests
{
    private const string Client = "c1";

    [Fact]
    public async Task A_round_whose_evaluation_died_with_the_coordinator_is_evaluated_by_the_restarted_one()
    {
        var undisturbed = await UndisturbedHistoryAsync();

        using var redis = await RedisServer.StartAsync();
        var storage = Settings(new Dictionary<string, string?>
        {
            ["Coordinator:Storage"] = "redis",
            ["Coordinator:Redis"] = redis.ConnectionString,
        });
        var neverFinishes = new HeldEvaluator();
        await using (var dying = await TestCoordinator.StartAsync(storage, services => services.AddSingleton<IGlobalModelEvaluator>(neverFinishes)))
        {
            await dying.Federation.Join(Client, 100);
            await SiloService.ContributeAsync(dying, Client, new RoundAttempt(1, 0));
            await neverFinishes.Started.WaitAsync(TestCoordinator.Patience);
            // Round 2 has started (and was written to storage) while round 1 still awaits its evaluation.
            await dying.TrainingTaskAsync(Client, 2).WaitAsync(TestCoordinator.Patience);
            Assert.Empty((await dying.Federation.GetStatus()).History);
        }

        await using var restarted = await TestCoordinator.StartAsync(storage);
        await restarted.TrainingTaskAsync(Client, 2).WaitAsync(TestCoordinator.Patience);
        await SiloService.ContributeAsync(restarted, Client, new RoundAttempt(2, 1), baseModelVersion: 2);
        var history = (await restarted.WaitUntilDoneAsync(TestCoordinator.Patience)).History;

        Assert.Equal([1, 2], history.Select(r => r.Round));
        Assert.Equal(Evaluated(undisturbed), Evaluated(history));
    }

    private static async Task<IReadOnlyList<RoundMetrics>> UndisturbedHistoryAsync()
    {
        await using var coordinator = await TestCoordinator.StartAsync(Settings([]));
        await coordinator.Federation.Join(Client, 100);
        await SiloService.ContributeAsync(coordinator, Client, new RoundAttempt(1, 0));
        await coordinator.TrainingTaskAsync(Client, 2).WaitAsync(TestCoordinator.Patience);
        await SiloService.ContributeAsync(coordinator, Client, new RoundAttempt(2, 0), baseModelVersion: 2);
        return (await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience)).History;
    }

    private static Dictionary<string, string?> Settings(Dictionary<string, string?> more)
    {
        more["Federation:Clients"] = "1";
        more["Federation:Rounds"] = "2";
        return more;
    }

    /// <summary>What the central evaluation of each round's model says, with the version it scored.</summary>
    private static IEnumerable<string> Evaluated(IEnumerable<RoundMetrics> history) => history.Select(r =>
        $"round {r.Round} version {r.ModelVersion}: accuracy {r.TestAccuracy:R} loss {r.TestLoss:R} macro-F1 {r.MacroF1:R} recall {string.Join(' ', r.PerClassRecall.Select(x => x.ToString("R")))}");
}
