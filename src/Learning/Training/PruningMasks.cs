using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PoolCompress.Learning;

/// <summary>
/// Keeps pruned weights at zero through local training (pruning during training): each pruned parameter's mask is
/// its non-zero pattern when training starts, multiplied in again after every optimiser step, since momentum, the
/// proximal term or a gradient would otherwise move a pruned weight off zero.
/// </summary>
internal sealed class PruningMasks : IDisposable
{
    private readonly (Parameter Parameter, Tensor Mask)[] _masks;

    private PruningMasks((Parameter, Tensor)[] masks) => _masks = masks;

    /// <summary>Masks for the parameters <paramref name="pruned"/> flags, in the network's parameter order; null when none is.</summary>
    public static PruningMasks? Of(IReadOnlyList<Parameter> parameters, IReadOnlyList<bool>? pruned)
    {
        if (pruned is null || !pruned.Contains(true)) return null;
        if (pruned.Count != parameters.Count)
            throw new ArgumentException($"{pruned.Count} pruning flags for a network of {parameters.Count} parameters", nameof(pruned));
        using var noGrad = no_grad();
        return new PruningMasks([.. parameters.Where((_, i) => pruned[i]).Select(p => (p, p.ne(0).to(p.dtype)))]);
    }

    public void Apply()
    {
        using var noGrad = no_grad();
        foreach (var (parameter, mask) in _masks) parameter.mul_(mask);
    }

    public void Dispose()
    {
        foreach (var (_, mask) in _masks) mask.Dispose();
    }
}
