using PoolCompress.Coordinator.Strategies;

namespace PoolCompress.Plugins.TestStage;

/// <summary>
/// <c>lowest-id</c>: only the pool's first client by id trains, every round; the server step is FedAvg's. A strategy
/// a plug-in assembly brings, as a team's own would come (<c>--plugin-assembly</c>), whose mark on a run is plain:
/// one client selected a round whatever the fraction.
/// </summary>
public sealed class LowestIdStrategy : FedAvgStrategy
{
    public override IReadOnlyList<ClientFit> ConfigureFit(FitRound round) =>
        [new ClientFit(round.Pool.Min(StringComparer.Ordinal)!, SharedFitConfig)];

    public sealed class Definition : IStrategyDefinition
    {
        public string Name => "lowest-id";

        public FederatedStrategy Create(StrategySpec spec) => new LowestIdStrategy();
    }
}
