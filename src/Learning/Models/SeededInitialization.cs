using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PoolCompress.Learning;

/// <summary>
/// Draws every convolution and linear layer from a private generator, so the weights depend on the seed alone: not on
/// torch's global generator, which other threads may be using. Normalisation layers start as the identity (scale 1,
/// shift 0), as in PyTorch.
/// </summary>
/// <remarks>
/// Weights follow He et al. (2015), U(+-sqrt(6 / fan_in)), with zero biases: the variance that keeps a ReLU network's
/// signal at one scale through its depth. PyTorch's default (U(+-1 / sqrt(fan_in)), a third of that variance) shrinks
/// the signal at every layer, which left pooled heads, whose pooling shrinks it further, near chance for rounds. The
/// layer that produces the logits starts at zero, so every class starts equally likely and the first steps train
/// the classifier instead of undoing a random guess (Goyal et al. 2017 zero the last layer of each block likewise).
/// </remarks>
internal static class SeededInitialization
{
    public static void Apply(nn.Module network, long seed)
    {
        using var generator = new Generator(unchecked((ulong)seed));
        using var _ = no_grad();
        Linear? logits = null;
        foreach (var (_, module) in network.named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    Draw(conv.weight!, conv.bias, generator);
                    break;
                case Linear linear:
                    Draw(linear.weight!, linear.bias, generator);
                    logits = linear;
                    break;
                case GroupNorm norm:
                    // TorchSharp leaves GroupNorm's affine parameters uninitialised memory.
                    norm.weight?.fill_(1);
                    norm.bias?.zero_();
                    break;
            }
        }
        logits?.weight!.zero_();
        logits?.bias?.zero_();
    }

    private static void Draw(Parameter weight, Parameter? bias, Generator generator)
    {
        long fanIn = weight.numel() / weight.shape[0];
        double bound = Math.Sqrt(6.0 / fanIn);
        weight.uniform_(-bound, bound, generator);
        bias?.zero_();
    }
}
