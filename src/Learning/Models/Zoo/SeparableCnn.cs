using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PoolCompress.Learning;

/// <summary>
/// A depthwise-separable CNN (MobileNet's factorisation): a 3x3 stem, then blocks of a depthwise 3x3 convolution
/// (one filter per channel) and a pointwise 1x1 convolution, about 8x fewer parameters and multiplications than full
/// 3x3 convolutions of the same widths: a smaller update to send.
/// </summary>
internal sealed class SeparableCnn : IModelDefinition
{
    public string Name => "dsconv";

    public string Description => "depthwise-separable CNN: conv3x3(32)-pool, 2x[depthwise3x3 + pointwise1x1] (64, 128)-pool, FC 128; any CxHxW";

    public IReadOnlyList<int> ExampleInput => [1, 28, 28];

    public Module<Tensor, Tensor> Build(IReadOnlyList<int> inputShape, int classCount, string? headPool)
    {
        var (channels, height, width) = PooledHead.RequireImage(Name, inputShape, minSide: 4);
        var body = Sequential(
            ("stem", Conv2d(channels, 32, kernel_size: 3, padding: 1)), ("relu0", ReLU()), ("pool1", MaxPool2d(2)),
            ("depthwise1", Conv2d(32, 32, kernel_size: 3, padding: 1, groups: 32)), ("pointwise1", Conv2d(32, 64, kernel_size: 1)), ("relu1", ReLU()),
            ("depthwise2", Conv2d(64, 64, kernel_size: 3, padding: 1, groups: 64)), ("pointwise2", Conv2d(64, 128, kernel_size: 1)), ("relu2", ReLU()),
            ("pool2", MaxPool2d(2)));
        return new BodyAndHead(Name, body, PooledHead.Create(headPool, 128, height / 4 * (width / 4), 128, classCount));
    }
}
