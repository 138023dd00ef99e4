using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PoolCompress.Learning;

/// <summary>Standardizes each sample's flat feature vector (zero mean, unit variance, no learned scale).</summary>
/// <remarks>
/// A pooled head puts this between its pool and its first layer. The scale of pooled features depends on the pool:
/// averaging a window of ReLU outputs shrinks their spread, taking its maximum inflates it, and the head's first layer
/// learns at a rate set by that scale, so unnormalized avg heads sat near chance for rounds while max heads overshot in
/// their first steps. It uses no batch statistics, so it computes the same on every client whatever its data (unlike
/// BatchNorm in federated training), and it has no parameters, so it adds nothing to the update.
/// </remarks>
internal sealed class StandardizedFeatures() : Module<Tensor, Tensor>(nameof(StandardizedFeatures))
{
    /// <summary>Added to the variance before its square root (PyTorch's layer_norm default).</summary>
    public const double Epsilon = 1e-5;

    public override Tensor forward(Tensor input) => functional.layer_norm(input, [input.shape[^1]], eps: Epsilon);
}
