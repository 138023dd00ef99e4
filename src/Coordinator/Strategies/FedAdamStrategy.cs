namespace PoolCompress.Coordinator.Strategies;

/// <summary>
/// FedAdam: v = b2 * v + (1 - b2) * d * d, with Adam's bias correction of the step size (as Flower's FedAdam does),
/// so that the first rounds, whose moments still lean towards their zero start, are not shortened.
/// </summary>
public sealed class FedAdamStrategy(StrategySpec spec) : AdaptiveServerStrategy(spec, learningRate: 0.01, beta1: 0.9, tau: 1e-3)
{
    private readonly double _beta2 = spec.Decay("b2", 0.99);

    protected override float SecondMoment(float v, float squared) => (float)_beta2 * v + (1 - (float)_beta2) * squared;

    protected override double StepSize(int step) =>
        LearningRate * Math.Sqrt(1 - Math.Pow(_beta2, step)) / (1 - Math.Pow(Beta1, step));
}
