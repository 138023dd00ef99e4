using PoolCompress.Coordinator.Aggregation;

namespace PoolCompress.Coordinator.Strategies;

/// <summary>Federated averaging (McMahan et al.): the global model plus the sample-weighted mean update.</summary>
public sealed class FedAvgStrategy : IFederatedStrategy
{
    public IReadOnlyList<string> StateArrays => [];

    public double ProximalMu => 0;

    public void Apply(FedAvgAggregator round, Span<float> model, float[][] state, int step) => round.ApplyTo(model);
}
