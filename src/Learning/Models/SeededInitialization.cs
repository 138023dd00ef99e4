using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PoolCompress.Learning;

/// <summary>
/// Re-draws every convolution and linear layer with PyTorch's default initialisation from a private generator,
/// so the weights depend on the seed alone: not on torch's global generator, which other threads may be using.
/// Normalisation layers start as the identity (scale 1, shift 0), as in PyTorch.
/// </summary>
internal static class SeededInitialization
{
    public static void Apply(nn.Module network, long seed)
    {
        using var generator = new Generator(unchecked((ulong)seed));
        using var _ = no_grad();
        foreach (var (_, module) in network.named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    Draw(conv.weight!, conv.bias, generator);
                    break;
                case Linear linear:
                    Draw(linear.weight!, linear.bias, generator);
                    break;
                case GroupNorm norm:
                    // TorchSharp leaves GroupNorm's affine parameters uninitialised memory.
                    norm.weight?.fill_(1);
                    norm.bias?.zero_();
                    break;
            }
        }
    }

    /// <summary>
    /// PyTorch's default, kaiming_uniform(a = sqrt 5) for weights and U(+-1/sqrt fan_in) for biases, are the same
    /// bound: both U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
    /// </summary>
    private static void Draw(Parameter weight, Parameter? bias, Generator generator)
    {
        long fanIn = weight.numel() / weight.shape[0];
        double bound = 1 / Math.Sqrt(fanIn);
        weight.uniform_(-bound, bound, generator);
        bias?.uniform_(-bound, bound, generator);
    }
}
