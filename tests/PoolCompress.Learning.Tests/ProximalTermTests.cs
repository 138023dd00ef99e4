using static TorchSharp.torch;

namespace PoolCompress.Learning.Tests;

/// <summary>FedProx's proximal term: its gradient by hand, and what it does to local training.</summary>
public sealed class ProximalTermTests
{
    private static readonly MnistSplit Synthetic = SyntheticDigits.Create(trainCount: 200, testCount: 10, seed: 4);

    [Fact]
    public void Adds_mu_times_the_drift_from_the_start_to_the_gradient()
    {
        using var weights = nn.Parameter(tensor(new[] { 1f, 2f }));
        using var proximal = new ProximalTerm([weights], mu: 0.1);
        using (no_grad()) weights.copy_(tensor(new[] { 3f, 0f }));
        using var loss = (weights * 0.5f).sum();
        loss.backward();

        proximal.AddGradient();

        // d/dw [0.5 (w1 + w2)] = 0.5, plus 0.1 * (w - [1, 2]) = [0.2, -0.2].
        using var gradient = weights.grad!;
        Assert.Equal([0.7f, 0.3f], gradient.data<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Local_training_with_mu_stays_closer_to_the_global_model()
    {
        double Drift(double mu)
        {
            float[] start = ModelFactoryTests.Weights(ModelFactory.Create("cnn", "avg:2", seed: 3));
            var model = ModelFactory.Create("cnn", "avg:2", seed: 3);
            LocalTrainer.Train(model, Synthetic.Train, new TrainingOptions(Epochs: 1, BatchSize: 10, LearningRate: 0.1, Seed: 2, ProximalMu: mu));
            float[] end = ModelFactoryTests.Weights(model);
            return Math.Sqrt(start.Zip(end, (a, b) => (double)(a - b) * (a - b)).Sum());
        }

        double free = Drift(0), held = Drift(1.0);

        Assert.True(held < 0.9 * free, $"drift with mu=1: {held}; without: {free}");
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_bad_mu_is_rejected(double mu)
    {
        using var model = ModelFactory.Create("cnn", "avg:1", seed: 1);

        Assert.Throws<ArgumentOutOfRangeException>(
            () => LocalTrainer.Train(model, Synthetic.Train, new TrainingOptions(1, 10, 0.1, 1, ProximalMu: mu)));
    }
}
