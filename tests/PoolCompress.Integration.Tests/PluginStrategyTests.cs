using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Strategies;
using PoolCompress.Protos.V1;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// The strategy seam from outside: a strategy this assembly brings (<see cref="TakeTurnsStrategy"/>, one file and
/// the registration line below) chooses who trains and what each is told, with no edit to the framework.
/// </summary>
public sealed class PluginStrategyTests
{
    static PluginStrategyTests() => FederatedStrategies.Register("take-turns", spec => new TakeTurnsStrategy(spec));

    [Fact]
    public async Task A_registered_strategy_selects_the_clients_and_its_config_reaches_them_on_their_task()
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "4",
            ["Federation:Rounds"] = "1",
            ["Federation:Strategy"] = "take-turns:mu=0.25",
        });
        var clients = new[] { "c1", "c2", "c3", "c4" }.Select(id => new RawClient(coordinator.Address, id)).ToList();
        try
        {
            foreach (var client in clients) await client.JoinAsync(100);

            var (first, _) = await clients[0].NextTrainTask();
            var (third, _) = await clients[2].NextTrainTask();

            Assert.Equal(new Dictionary<string, string> { ["proximal_mu"] = "0.25", ["local_epochs"] = "1" }, first.FitConfig);
            Assert.Equal(new Dictionary<string, string> { ["proximal_mu"] = "0.25", ["local_epochs"] = "2" }, third.FitConfig);
            Assert.Equal(AssignmentKind.Wait, (await coordinator.Federation.GetAssignment("c2")).Kind);
            Assert.Equal(AssignmentKind.Wait, (await coordinator.Federation.GetAssignment("c4")).Kind);
            Assert.Equal(["c1", "c3"], (await coordinator.Federation.GetRoundView()).Selected.Select(s => s.ClientId));
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    [Fact]
    public async Task FedProx_mu_reaches_clients_on_the_task_and_at_join_for_clients_that_read_only_the_join()
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "1",
            ["Federation:Rounds"] = "1",
            ["Federation:Strategy"] = "fedprox:mu=0.05",
        });
        using var client = new RawClient(coordinator.Address, "c1");

        var joined = await client.JoinAsync(100);
        var (task, _) = await client.NextTrainTask();

        Assert.Equal(0.05f, joined.Config.ProximalMu);
        Assert.Equal(new Dictionary<string, string> { ["proximal_mu"] = "0.05" }, task.FitConfig);
        Assert.Equal(TaskAction.Train, task.Action);
    }

    [Fact]
    public void A_name_already_taken_cannot_be_registered_again()
    {
        var error = Assert.Throws<ArgumentException>(() => FederatedStrategies.Register("fedavg", spec => new TakeTurnsStrategy(spec)));

        Assert.Contains("'fedavg' is taken", error.Message);
        Assert.Contains("take-turns", FederatedStrategies.Names);
    }

    [Fact]
    public void A_strategy_that_chooses_a_client_outside_the_pool_is_stopped_with_what_it_did()
    {
        var strategy = new TakeTurnsStrategy(StrategySpec.Parse("take-turns"));
        var round = new FitRound(["a", "b"], Count: 2, Seed: 1, Round: 1, Attempt: 0);

        var chosen = strategy.SelectForFit(round);
        var error = Assert.Throws<InvalidOperationException>(() => new OutsideThePool().SelectForFit(round));

        Assert.Equal(["a"], chosen.Select(c => c.ClientId));
        Assert.Contains("chose client 'z' for round 1 from outside the selection pool", error.Message);
    }

    private sealed class OutsideThePool : FedAvgStrategy
    {
        public override IReadOnlyList<ClientFit> ConfigureFit(FitRound round) => [new ClientFit("z", new Dictionary<string, string>())];
    }
}
