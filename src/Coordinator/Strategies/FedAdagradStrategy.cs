namespace PoolCompress.Coordinator.Strategies;

/// <summary>FedAdagrad: v = v + d * d, a per-coordinate step that only shrinks. Its first moment is off by default (b1 = 0).</summary>
public sealed class FedAdagradStrategy(StrategySpec spec) : AdaptiveServerStrategy(spec, learningRate: 0.01, beta1: 0, tau: 1e-3)
{
    protected override float SecondMoment(float v, float squared) => v + squared;
}
