using PoolCompress.Coordinator.Aggregation;

namespace PoolCompress.Coordinator.Strategies;

/// <summary>
/// FedProx (Li et al., "Federated Optimization in Heterogeneous Networks"): FedAvg on the server, and clients add
/// mu/2 ||w - w_global||^2 to their local loss so that local training on skewed data drifts less from the global model.
/// </summary>
public sealed class FedProxStrategy(StrategySpec spec) : IFederatedStrategy
{
    private readonly FedAvgStrategy _server = new();

    public IReadOnlyList<string> StateArrays => [];

    public double ProximalMu { get; } = spec.NonNegative("mu", 0.01);

    public void Apply(FedAvgAggregator round, Span<float> model, float[][] state, int step) => _server.Apply(round, model, state, step);
}
