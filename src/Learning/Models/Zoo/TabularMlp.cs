using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PoolCompress.Learning;

/// <summary>A multilayer perceptron for table rows (any sample shape, flattened): FC 256 - ReLU - FC 128 - ReLU, head FC classes.</summary>
internal sealed class TabularMlp : IModelDefinition
{
    public string Name => "mlp";

    public string Description => "MLP for tabular rows (or any flattened input): FC 256-FC 128, head FC; no pooled head";

    public IReadOnlyList<int> ExampleInput => [64];

    public Module<Tensor, Tensor> Build(IReadOnlyList<int> inputShape, int classCount, string? headPool)
    {
        if (!string.IsNullOrWhiteSpace(headPool))
            throw new ArgumentException($"model '{Name}' has no feature maps to pool: it takes no head pool, got '{headPool}'");
        int features = inputShape.Aggregate(1, (product, size) => checked(product * size));
        var body = Sequential(("flatten", Flatten()), ("fc1", Linear(features, 256)), ("relu1", ReLU()), ("fc2", Linear(256, 128)), ("relu2", ReLU()));
        return new BodyAndHead(Name, body, Sequential(("fc", Linear(128, classCount))));
    }
}
