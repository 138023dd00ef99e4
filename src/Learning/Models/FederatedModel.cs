using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PoolCompress.Learning;

/// <summary>
/// A network whose trainable parameters can be exchanged as one flat float vector, in the fixed order of
/// <see cref="Parameters"/>. Parameters of the network's <c>head</c> submodule form the head, the rest the body.
/// </summary>
public sealed class FederatedModel : IDisposable
{
    /// <summary>The submodule whose parameters are the head; a network registers its classifier under this name.</summary>
    internal const string HeadModuleName = "head";

    private readonly Parameter[] _tensors;

    internal FederatedModel(string name, string? headPool, nn.Module<Tensor, Tensor> network)
    {
        Name = name;
        HeadPool = headPool;
        Network = network;
        var named = network.named_parameters().ToArray();
        _tensors = [.. named.Select(p => p.parameter)];
        Parameters = [.. named.Select(p => new ParameterInfo(
            p.name, [.. p.parameter.shape.Select(size => checked((int)size))], p.name.StartsWith(HeadModuleName + ".", StringComparison.Ordinal)))];
        ParameterCount = Parameters.Sum(p => p.Length);
        HeadParameterCount = Parameters.Where(p => p.IsHead).Sum(p => p.Length);
    }

    public string Name { get; }

    /// <summary>The canonical head-pool spec, or null for the unpooled head.</summary>
    public string? HeadPool { get; }

    public IReadOnlyList<ParameterInfo> Parameters { get; }
    public int ParameterCount { get; }
    public int HeadParameterCount { get; }
    public int BodyParameterCount => ParameterCount - HeadParameterCount;

    /// <summary>The network; it takes a float32 batch N x (sample shape) and returns N x (classes) logits.</summary>
    public nn.Module<Tensor, Tensor> Network { get; }

    public void GetWeights(Span<float> destination)
    {
        RequireFlatLength(destination.Length, nameof(destination));
        int offset = 0;
        for (int i = 0; i < _tensors.Length; i++)
        {
            using var values = _tensors[i].data<float>();
            values.CopyTo(destination.Slice(offset, Parameters[i].Length));
            offset += Parameters[i].Length;
        }
    }

    public void SetWeights(ReadOnlySpan<float> source)
    {
        RequireFlatLength(source.Length, nameof(source));
        int offset = 0;
        for (int i = 0; i < _tensors.Length; i++)
        {
            using var values = _tensors[i].data<float>();
            values.CopyFrom(source.Slice(offset, Parameters[i].Length));
            offset += Parameters[i].Length;
        }
    }

    public void Dispose() => Network.Dispose();

    private void RequireFlatLength(int length, string paramName)
    {
        if (length != ParameterCount)
            throw new ArgumentException($"{Name} has {ParameterCount} parameters but the span holds {length}", paramName);
    }
}
