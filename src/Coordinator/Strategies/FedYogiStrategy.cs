namespace PoolCompress.Coordinator.Strategies;

/// <summary>
/// FedYogi: v = v - (1 - b2) * d * d * sign(v - d * d). Unlike Adam, v moves towards d * d by an amount that does not
/// grow with v, so a large v shrinks slowly and the effective step grows gently.
/// </summary>
public sealed class FedYogiStrategy(StrategySpec spec) : AdaptiveServerStrategy(spec, learningRate: 0.01, beta1: 0.9, tau: 1e-3)
{
    private readonly float _beta2 = (float)spec.Decay("b2", 0.99);

    protected override float SecondMoment(float v, float squared) => v - (1 - _beta2) * squared * MathF.Sign(v - squared);
}
