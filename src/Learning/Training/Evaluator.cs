using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PoolCompress.Learning;

/// <summary>Measures a model's classification quality on a dataset.</summary>
public static class Evaluator
{
    public static EvaluationResult Evaluate(FederatedModel model, Dataset data, int batchSize = 500)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Network.eval();
        return Evaluate(model.Network.call, data, batchSize);
    }

    /// <summary>The same measures for any engine that turns a batch of samples into logits (an exported model, say).</summary>
    public static EvaluationResult Evaluate(Func<Tensor, Tensor> logitsOf, Dataset data, int batchSize = 500)
    {
        ArgumentNullException.ThrowIfNull(logitsOf);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);

        using var noGrad = no_grad();
        using var samples = new DatasetTensors(data);
        var confusion = new ConfusionMatrix(data.ClassCount);
        var probabilities = new float[data.Count * data.ClassCount];
        double lossSum = 0;
        for (int start = 0; start < data.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int size = Math.Min(batchSize, data.Count - start);
            var logits = logitsOf(samples.Images.narrow(0, start, size));
            lossSum += cross_entropy(logits, samples.Labels.narrow(0, start, size), reduction: nn.Reduction.Sum).item<float>();
            using (var scores = softmax(logits, 1).data<float>())
                scores.CopyTo(probabilities.AsSpan(start * data.ClassCount, size * data.ClassCount));
            using var predicted = logits.argmax(1).data<long>();
            for (int i = 0; i < size; i++) confusion.Add(data.Labels[start + i], (int)predicted[i]);
        }
        return new EvaluationResult(
            confusion.Accuracy,
            data.Count == 0 ? 0 : lossSum / data.Count,
            confusion.MacroF1,
            [.. Enumerable.Range(0, data.ClassCount).Select(confusion.Recall)],
            data.Count,
            RocAuc.Macro(probabilities, data.Labels, data.ClassCount),
            [.. Enumerable.Range(0, data.ClassCount).Select(confusion.Support)]);
    }
}
