using System.Diagnostics;
using static TorchSharp.torch;

namespace PoolCompress.Learning;

/// <summary>Minibatch SGD (optionally with momentum and FedProx's proximal term) on one client's data.</summary>
public static class LocalTrainer
{
    /// <remarks>
    /// Batches follow a <see cref="Random"/> permutation seeded by <see cref="TrainingOptions.Seed"/> and nothing
    /// else here draws random numbers, so the same weights, data and options give bit-identical results.
    /// Cancellation is checked between batches, never inside one, so native code is never left mid-step.
    /// <paramref name="loss"/> is what each step minimises (<see cref="ITrainingLoss.CrossEntropy"/> when null).
    /// </remarks>
    public static TrainingResult Train(
        FederatedModel model, Dataset data, TrainingOptions options, CancellationToken cancellationToken = default, ITrainingLoss? loss = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        Validate(options);
        if (data.Count == 0) throw new ArgumentException("cannot train on an empty dataset", nameof(data));

        var clock = Stopwatch.StartNew();
        var network = model.Network;
        network.train();
        using var optimizer = optim.SGD(network.parameters(), options.LearningRate, momentum: options.Momentum);
        using var proximal = options.ProximalMu > 0 ? new ProximalTerm(network.parameters(), options.ProximalMu) : null;
        using var masks = PruningMasks.Of([.. network.parameters()], options.Pruned);
        using var samples = new DatasetTensors(data);
        var objective = loss ?? ITrainingLoss.CrossEntropy;
        var random = Shuffle.CreateRandom(options.Seed);
        long[] order = [.. Enumerable.Range(0, data.Count).Select(i => (long)i)];
        int steps = 0;
        double lastEpochLoss = 0;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            random.Shuffle(order);
            double lossSum = 0;
            for (int start = 0; start < order.Length; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                int size = Math.Min(options.BatchSize, order.Length - start);
                var batch = tensor(order.AsSpan(start, size).ToArray());
                optimizer.zero_grad();
                var inputs = samples.Images.index_select(0, batch);
                var batchLoss = objective.Of(inputs, network.call(inputs), samples.Labels.index_select(0, batch));
                batchLoss.backward();
                proximal?.AddGradient();
                optimizer.step();
                masks?.Apply();
                lossSum += batchLoss.item<float>() * size;
                steps++;
            }
            lastEpochLoss = lossSum / order.Length;
        }
        return new TrainingResult(lastEpochLoss, data.Count, steps, clock.Elapsed.TotalSeconds);
    }

    private static void Validate(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Epochs, nameof(options.Epochs));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize, nameof(options.BatchSize));
        if (!(options.LearningRate > 0) || !double.IsFinite(options.LearningRate))
            throw new ArgumentOutOfRangeException(nameof(options), options.LearningRate, "the learning rate must be positive and finite");
        if (!(options.Momentum >= 0 && options.Momentum < 1))
            throw new ArgumentOutOfRangeException(nameof(options), options.Momentum, "momentum must be in [0, 1)");
        if (!(options.ProximalMu >= 0) || !double.IsFinite(options.ProximalMu))
            throw new ArgumentOutOfRangeException(nameof(options), options.ProximalMu, "the proximal mu must be a finite number of at least 0");
    }
}
