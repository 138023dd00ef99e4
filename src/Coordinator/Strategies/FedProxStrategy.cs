using PoolCompress.Learning;

namespace PoolCompress.Coordinator.Strategies;

/// <summary>
/// FedProx (Li et al., "Federated Optimization in Heterogeneous Networks"): FedAvg on the server, and clients add
/// mu/2 ||w - w_global||^2 to their local loss so that local training on skewed data drifts less from the global model.
/// </summary>
public sealed class FedProxStrategy(StrategySpec spec) : FedAvgStrategy
{
    public override IReadOnlyDictionary<string, string> SharedFitConfig { get; } =
        new Dictionary<string, string> { [FitConfig.ProximalMu] = FitConfig.Format(spec.NonNegative("mu", 0.01)) };
}
