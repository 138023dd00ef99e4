using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PoolCompress.Learning;

/// <summary>ReLU(residual(x) + shortcut(x)), the shortcut the identity when it is null (a residual network's basic block).</summary>
public sealed class ResidualBlock : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> _residual;
    private readonly Module<Tensor, Tensor>? _shortcut;

    public ResidualBlock(Module<Tensor, Tensor> residual, Module<Tensor, Tensor>? shortcut) : base(nameof(ResidualBlock))
    {
        _residual = residual;
        _shortcut = shortcut;
        RegisterComponents();
    }

    public Module<Tensor, Tensor> Residual => _residual;

    /// <summary>The path the input takes around <see cref="Residual"/>; null for the identity.</summary>
    public Module<Tensor, Tensor>? Shortcut => _shortcut;

    public override Tensor forward(Tensor input)
    {
        using var residual = _residual.call(input);
        using var shortcut = _shortcut is null ? input.alias() : _shortcut.call(input);
        return functional.relu(residual + shortcut);
    }
}
