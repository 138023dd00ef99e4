using static TorchSharp.torch;

namespace PoolCompress.Learning;

/// <summary>The FedAvg paper's CNN (<see cref="MnistCnn"/>): 1 x 28 x 28 digits, ten classes.</summary>
internal sealed class MnistCnnDefinition : IModelDefinition
{
    public string Name => "cnn";

    public string Description => "FedAvg paper CNN: conv5x5(32)-pool-conv5x5(64)-pool, FC 512; 1x28x28, 10 classes";

    public IReadOnlyList<int> ExampleInput => DataSpec.Digits.InputShape;

    public nn.Module<Tensor, Tensor> Build(IReadOnlyList<int> inputShape, int classCount, string? headPool)
    {
        if (!inputShape.SequenceEqual(DataSpec.Digits.InputShape) || classCount != DataSpec.Digits.Classes.Count)
            throw new ArgumentException(
                $"model '{Name}' takes {InputShape.Format(DataSpec.Digits.InputShape)} samples of {DataSpec.Digits.Classes.Count} classes, not {InputShape.Format(inputShape)} of {classCount}");
        return MnistCnn.Create(string.IsNullOrWhiteSpace(headPool) ? null : HeadPoolSpec.Parse(headPool));
    }
}
