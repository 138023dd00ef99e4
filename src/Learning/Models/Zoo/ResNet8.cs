using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PoolCompress.Learning;

/// <summary>
/// ResNet-8 (He et al. 2016, the CIFAR variant): a 3x3 stem and three stages of one basic block each (16, 32, 64
/// channels; the last two halve the resolution). GroupNorm instead of BatchNorm: batch statistics are local to a
/// client and do not average well across non-IID clients (Hsieh et al. 2020).
/// </summary>
internal sealed class ResNet8 : IModelDefinition
{
    private const int Groups = 4;

    public string Name => "resnet8";

    public string Description => "ResNet-8 with GroupNorm: stem + 3 basic blocks (16, 32, 64 channels), FC 128; any CxHxW, e.g. 3x32x32";

    public IReadOnlyList<int> ExampleInput => [3, 32, 32];

    public Module<Tensor, Tensor> Build(IReadOnlyList<int> inputShape, int classCount, string? headPool)
    {
        var (channels, height, width) = PooledHead.RequireImage(Name, inputShape, minSide: 4);
        var body = Sequential(
            ("stem", Conv2d(channels, 16, kernel_size: 3, padding: 1, bias: false)),
            ("norm", GroupNorm(Groups, 16)),
            ("relu", ReLU()),
            ("block1", BasicBlock(16, 16, stride: 1)),
            ("block2", BasicBlock(16, 32, stride: 2)),
            ("block3", BasicBlock(32, 64, stride: 2)));
        int cells = (height + 3) / 4 * ((width + 3) / 4);
        return new BodyAndHead(Name, body, PooledHead.Create(headPool, 64, cells, 128, classCount));
    }

    /// <summary>conv3x3-GN-ReLU-conv3x3-GN plus the input (through a 1x1 conv and GN where the shape changes), then ReLU.</summary>
    private static ResidualBlock BasicBlock(int input, int output, int stride) => new(
        Sequential(
            ("conv1", Conv2d(input, output, kernel_size: 3, stride: stride, padding: 1, bias: false)),
            ("norm1", GroupNorm(Groups, output)),
            ("relu", ReLU()),
            ("conv2", Conv2d(output, output, kernel_size: 3, padding: 1, bias: false)),
            ("norm2", GroupNorm(Groups, output))),
        stride != 1 || input != output
            ? Sequential(("conv", Conv2d(input, output, kernel_size: 1, stride: stride, bias: false)), ("norm", GroupNorm(Groups, output)))
            : null);
}
