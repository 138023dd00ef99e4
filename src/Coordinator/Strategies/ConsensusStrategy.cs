using PoolCompress.Coordinator.Aggregation;

namespace PoolCompress.Coordinator.Strategies;

/// <summary>
/// Federated distillation's aggregation (FedMD, DS-FL): each client uploads its soft labels on the round's transfer
/// samples, not a difference of weights, so the new shared state is their sample-weighted mean, the consensus the
/// clients distil next round; the state before it (the last round's consensus, on other samples) has no say.
/// </summary>
public sealed class ConsensusStrategy : FederatedStrategy
{
    public override void AggregateFit(WeightedUpdates round, Span<float> model, float[][] state, int step) => round.MeanUpdate(model);
}
