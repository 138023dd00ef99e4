using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PoolCompress.Learning;

/// <summary>
/// The loss local training minimises on one batch, given the batch's samples, the model's logits for them and their
/// labels: cross-entropy by default, or a loss that also looks at the samples (a teacher's predictions, say). Tensors
/// it creates belong to the batch's dispose scope.
/// </summary>
public interface ITrainingLoss
{
    /// <summary>Cross-entropy between the logits and the labels, as plain supervised training uses.</summary>
    static ITrainingLoss CrossEntropy { get; } = new CrossEntropyLoss();

    Tensor Of(Tensor samples, Tensor logits, Tensor labels);

    private sealed class CrossEntropyLoss : ITrainingLoss
    {
        public Tensor Of(Tensor samples, Tensor logits, Tensor labels) => cross_entropy(logits, labels);
    }
}
