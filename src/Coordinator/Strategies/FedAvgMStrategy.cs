using System.Numerics.Tensors;
using PoolCompress.Coordinator.Aggregation;

namespace PoolCompress.Coordinator.Strategies;

/// <summary>
/// FedAvg with server momentum (Hsu et al., "Measuring the Effects of Non-Identical Data Distribution"):
/// v = momentum * v + mean update; model += lr * v. With momentum 0 and lr 1 it is FedAvg (to float32 rounding).
/// </summary>
public sealed class FedAvgMStrategy(StrategySpec spec) : FederatedStrategy
{
    private readonly float _learningRate = (float)spec.Positive("lr", 1.0);
    private readonly float _momentum = (float)spec.Decay("momentum", 0.9);

    public override IReadOnlyList<string> StateArrays => ["velocity"];

    public override void AggregateFit(WeightedUpdates round, Span<float> model, float[][] state, int step)
    {
        var velocity = state[0];
        var update = new float[model.Length];
        round.MeanUpdate(update);
        TensorPrimitives.MultiplyAdd(velocity, _momentum, update, velocity);
        // The velocity adds up to 1 / (1 - momentum) updates: saturated, so that long (finite) updates cannot make it infinite.
        TensorPrimitives.Clamp(velocity, -float.MaxValue, float.MaxValue, velocity);
        TensorPrimitives.MultiplyAdd(velocity, _learningRate, model, model);
    }
}
