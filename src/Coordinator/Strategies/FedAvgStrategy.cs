using PoolCompress.Coordinator.Aggregation;

namespace PoolCompress.Coordinator.Strategies;

/// <summary>Federated averaging (McMahan et al.): the global model plus the sample-weighted mean update.</summary>
public class FedAvgStrategy : FederatedStrategy
{
    public override void AggregateFit(WeightedUpdates round, Span<float> model, float[][] state, int step) => round.AddMeanTo(model);
}
