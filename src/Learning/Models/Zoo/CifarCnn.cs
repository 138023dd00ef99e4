using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PoolCompress.Learning;

/// <summary>
/// A CIFAR-size CNN: two blocks of two 3x3 convolutions (32, then 64 channels) each followed by a 2x2 max pool,
/// so a 3 x 32 x 32 image leaves the body as 64 x 8 x 8; head FC 256.
/// </summary>
internal sealed class CifarCnn : IModelDefinition
{
    public string Name => "cifar-cnn";

    public string Description => "CNN for CIFAR-size images: 2x[conv3x3 x2, maxpool] (32, 64 channels), FC 256; any CxHxW, e.g. 3x32x32";

    public IReadOnlyList<int> ExampleInput => [3, 32, 32];

    public Module<Tensor, Tensor> Build(IReadOnlyList<int> inputShape, int classCount, string? headPool)
    {
        var (channels, height, width) = PooledHead.RequireImage(Name, inputShape, minSide: 4);
        var body = Sequential(
            ("conv1", Conv2d(channels, 32, kernel_size: 3, padding: 1)), ("relu1", ReLU()),
            ("conv2", Conv2d(32, 32, kernel_size: 3, padding: 1)), ("relu2", ReLU()), ("pool1", MaxPool2d(2)),
            ("conv3", Conv2d(32, 64, kernel_size: 3, padding: 1)), ("relu3", ReLU()),
            ("conv4", Conv2d(64, 64, kernel_size: 3, padding: 1)), ("relu4", ReLU()), ("pool2", MaxPool2d(2)));
        return new BodyAndHead(Name, body, PooledHead.Create(headPool, 64, height / 4 * (width / 4), 256, classCount));
    }
}
