using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PoolCompress.Learning;

/// <summary>
/// The CNN of McMahan et al.'s FedAvg paper for 1 x 28 x 28 inputs: body conv5x5(32) - ReLU - maxpool2 -
/// conv5x5(64) - ReLU - maxpool2 (64 x 7 x 7 out), head [optional pooling] - flatten - [standardize, when pooled] - FC 512 - ReLU - FC 10.
/// Parameters live under <c>body.*</c> and <c>head.*</c>.
/// </summary>
/// <remarks>
/// Parameter counts (body 52,096 in every case; head = 64 * cells * 512 + 512 + 5,130):
/// none 1,611,274 (total 1,663,370); avg/max/l2 with SIZE 1: 38,410, 2: 136,714, 3: 300,554, 4: 529,930;
/// mixed adds its one blend parameter (mixed:2 136,715); spp:1,2 169,482; spp:1,2,4 693,770.
/// </remarks>
internal static class MnistCnn
{
    private const int BodyChannels = 64;
    private const int BodyGrid = 7;
    private const int Hidden = 512;

    public static BodyAndHead Create(HeadPoolSpec? pool)
    {
        var body = Sequential(
            ("conv1", Conv2d(1, 32, kernel_size: 5, padding: 2)),
            ("relu1", ReLU()),
            ("pool1", MaxPool2d(2)),
            ("conv2", Conv2d(32, BodyChannels, kernel_size: 5, padding: 2)),
            ("relu2", ReLU()),
            ("pool2", MaxPool2d(2)));
        return new BodyAndHead("cnn", body, PooledHead.Create(pool?.ToString(), BodyChannels, BodyGrid * BodyGrid, Hidden, Dataset.DigitClasses.Count));
    }
}
