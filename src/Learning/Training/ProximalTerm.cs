using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PoolCompress.Learning;

/// <summary>
/// FedProx's proximal term mu/2 ||w - w_start||^2, added to the local loss by adding its gradient
/// mu * (w - w_start) to each parameter's gradient after the backward pass: the same step, without a second graph.
/// </summary>
public sealed class ProximalTerm : IDisposable
{
    private readonly double _mu;
    private readonly (Parameter Parameter, Tensor Start)[] _anchors;

    /// <summary>Remembers the parameters' current values as the point local training is pulled back towards.</summary>
    public ProximalTerm(IEnumerable<Parameter> parameters, double mu)
    {
        if (!(mu >= 0) || !double.IsFinite(mu)) throw new ArgumentOutOfRangeException(nameof(mu), mu, "mu must be a finite number of at least 0");
        _mu = mu;
        using var noGrad = no_grad();
        _anchors = [.. parameters.Select(p => (p, p.detach().clone()))];
    }

    /// <summary>grad += mu * (w - w_start) for every parameter that has a gradient.</summary>
    public void AddGradient()
    {
        using var noGrad = no_grad();
        foreach (var (parameter, start) in _anchors)
        {
            using var grad = parameter.grad;
            if (grad is null) continue;
            using var drift = parameter - start;
            grad.add_(drift, alpha: _mu);
        }
    }

    public void Dispose()
    {
        foreach (var (_, start) in _anchors) start.Dispose();
    }
}
