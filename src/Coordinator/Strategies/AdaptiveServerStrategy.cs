using PoolCompress.Coordinator.Aggregation;

namespace PoolCompress.Coordinator.Strategies;

/// <summary>
/// The adaptive server optimizers of Reddi et al., "Adaptive Federated Optimization" (arXiv 2003.00295), which treat
/// the round's mean update d as a negative gradient: m = b1 * m + (1 - b1) * d; v = the optimizer's second moment;
/// model += step size * m / (sqrt(v) + tau). They differ only in how v follows d * d. Both moments start at zero,
/// as in Flower's FedOpt strategies.
/// </summary>
public abstract class AdaptiveServerStrategy : FederatedStrategy
{
    protected AdaptiveServerStrategy(StrategySpec spec, double learningRate, double beta1, double tau)
    {
        LearningRate = spec.Positive("lr", learningRate);
        Beta1 = spec.Decay("b1", beta1);
        Tau = spec.Positive("tau", tau);
    }

    public double LearningRate { get; }

    public double Beta1 { get; }

    public double Tau { get; }

    public override IReadOnlyList<string> StateArrays => ["m", "v"];

    public override void AggregateFit(WeightedUpdates round, Span<float> model, float[][] state, int step)
    {
        float[] m = state[0], v = state[1];
        var update = new float[model.Length];
        round.MeanUpdate(update);
        float beta1 = (float)Beta1, stepSize = (float)StepSize(step), tau = (float)Tau;
        for (int i = 0; i < model.Length; i++)
        {
            float d = update[i];
            m[i] = beta1 * m[i] + (1 - beta1) * d;
            // Saturated: a long (finite) update squares to infinity in float, and Yogi's sign(v - d * d) of infinities is NaN.
            v[i] = MathF.Min(SecondMoment(v[i], MathF.Min(d * d, float.MaxValue)), float.MaxValue);
            model[i] += stepSize * m[i] / (MathF.Sqrt(v[i]) + tau);
        }
    }

    /// <summary>The new second moment from the old one and the squared update.</summary>
    protected abstract float SecondMoment(float v, float squared);

    /// <summary>The server learning rate at <paramref name="step"/> (1, 2, ...).</summary>
    protected virtual double StepSize(int step) => LearningRate;
}
