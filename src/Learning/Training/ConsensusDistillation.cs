using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PoolCompress.Learning;

/// <summary>
/// A federated distillation client's two steps on the transfer set (FedMD, DS-FL): distilling the federation's consensus
/// soft labels into its own network, with the <see cref="Distillation"/> loss at a temperature (the consensus as the
/// teacher, its most likely class as the label), and scoring the next round's transfer samples as soft labels.
/// </summary>
public static class ConsensusDistillation
{
    /// <summary>
    /// Trains <paramref name="model"/> on the transfer <paramref name="samples"/> towards <paramref name="consensus"/>
    /// (one row of class probabilities per sample, a top-classes codec's dropped mass spread over the classes it zeroed).
    /// </summary>
    public static void Distil(
        FederatedModel model, Dataset transfer, IReadOnlyList<int> samples, ReadOnlySpan<float> consensus, TrainingOptions options,
        double temperature, double alpha, CancellationToken cancellationToken)
    {
        int classes = consensus.Length / samples.Count;
        var targets = Completed(consensus, classes);
        using var data = new DatasetTensors(transfer.Subset(samples));
        using var teacherLogits = tensor(targets, [samples.Count, classes]).clamp_min(1e-6f).log();
        using var labels = teacherLogits.argmax(1);
        using var optimizer = optim.SGD(model.Network.parameters(), options.LearningRate, momentum: options.Momentum);
        var random = Shuffle.CreateRandom(options.Seed);
        long[] order = [.. Enumerable.Range(0, samples.Count).Select(i => (long)i)];
        model.Network.train();
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            random.Shuffle(order);
            for (int start = 0; start < order.Length; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var batch = tensor(order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start)).ToArray());
                optimizer.zero_grad();
                var loss = Distillation.Loss(model.Network.call(data.Images.index_select(0, batch)), teacherLogits.index_select(0, batch),
                    labels.index_select(0, batch), temperature, alpha);
                loss.backward();
                optimizer.step();
            }
        }
    }

    /// <summary>Writes <paramref name="model"/>'s class probabilities for the transfer <paramref name="samples"/> into <paramref name="softLabels"/>, row by row.</summary>
    public static void Score(FederatedModel model, Dataset transfer, IReadOnlyList<int> samples, Span<float> softLabels)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.Network.eval();
        using var data = new DatasetTensors(transfer.Subset(samples));
        softmax(model.Network.call(data.Images), 1).data<float>().CopyTo(softLabels);
    }

    /// <summary>
    /// Rows that sum to 1: what a top-classes codec dropped from a row (1 minus its sum) is spread evenly over the
    /// classes it left at zero, or over all classes when it zeroed none; a row a quantizer rounded past 1 is scaled down.
    /// </summary>
    public static float[] Completed(ReadOnlySpan<float> rows, int classes)
    {
        var completed = rows.ToArray();
        for (int start = 0; start < completed.Length; start += classes)
        {
            var row = completed.AsSpan(start, classes);
            float sum = 0;
            foreach (float p in row) sum += p;
            float missing = 1 - sum;
            if (missing < 0)
            {
                foreach (ref float p in row) p /= sum;
                continue;
            }
            int zeros = row.Count(0f);
            for (int c = 0; c < classes; c++)
            {
                if (zeros == 0 || row[c] == 0) row[c] += missing / (zeros == 0 ? classes : zeros);
            }
        }
        return completed;
    }
}
