using PoolCompress.Learning;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PoolCompress.Examples;

/// <summary>
/// LeCun et al.'s LeNet-5 with ReLU and max pooling: conv5x5 (6, padded) - pool - conv5x5 (16) - pool, then the
/// federation's head (FC 120 - FC classes, or a pooled head such as <c>max:2</c>) built by <see cref="PooledHead"/>.
/// </summary>
public sealed class LeNet5 : IModelDefinition
{
    public string Name => "lenet5";

    public string Description => "LeNet-5 (plug-in example): conv5x5(6)-pool-conv5x5(16)-pool, FC 120; any CxHxW with H, W >= 12";

    public IReadOnlyList<int> ExampleInput => [1, 28, 28];

    public Module<Tensor, Tensor> Build(IReadOnlyList<int> inputShape, int classCount, string? headPool)
    {
        var (channels, height, width) = PooledHead.RequireImage(Name, inputShape, minSide: 12);
        var body = Sequential(
            ("conv1", Conv2d(channels, 6, kernel_size: 5, padding: 2)), ("relu1", ReLU()), ("pool1", MaxPool2d(2)),
            ("conv2", Conv2d(6, 16, kernel_size: 5)), ("relu2", ReLU()), ("pool2", MaxPool2d(2)));
        int cells = (height / 2 - 4) / 2 * ((width / 2 - 4) / 2);
        // The head must be the submodule named "head": BodyAndHead registers it so.
        return new BodyAndHead(Name, body, PooledHead.Create(headPool, 16, cells, 120, classCount));
    }
}
