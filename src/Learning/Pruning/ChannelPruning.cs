using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PoolCompress.Learning;

/// <summary>
/// Structured pruning: removes whole convolution output channels and fully connected hidden units, those whose
/// weights have the smallest L1 norm, and rebuilds the layers smaller so any engine runs fewer multiplications.
/// </summary>
/// <remarks>
/// The network is read as the chain of its layers (containers opened in order). A layer's outputs are pruned only
/// when they reach the next weighted layer through layers that treat each channel alone (activations, pools, depthwise
/// convolutions, a flatten before a fully connected layer); before a layer that mixes channels otherwise (a
/// normalisation over features, a residual block, an unknown plug-in layer) or at the network's output, every
/// channel stays, so the pruned network computes exactly what the kept channels computed before. Layers are judged
/// by their exact type, never by name or position.
/// </remarks>
public static class ChannelPruning
{
    private static readonly HashSet<Type> ChannelWise =
        [typeof(ReLU), typeof(MaxPool2d), typeof(AdaptiveAvgPool2d), typeof(AdaptiveMaxPool2d), typeof(L2Pool2d), typeof(MixedPool2d)];

    private enum Role { Convolution, FullyConnected, Depthwise, ChannelWise, Flatten, Barrier }

    /// <summary>
    /// The model with <paramref name="fraction"/> of every prunable layer's outputs removed (at least one kept). It
    /// takes over <paramref name="model"/>'s unchanged layers: <paramref name="model"/> is not to be used or disposed afterwards.
    /// </summary>
    public static FederatedModel Apply(FederatedModel model, double fraction)
    {
        ArgumentNullException.ThrowIfNull(model);
        PruningSettings.RequireFraction(fraction, "channel fraction");
        var rebuilt = Pruned(Layers(model.Network).ToList(), fraction);
        var network = Rebuild(model.Network, rebuilt);
        foreach (var replaced in rebuilt.Keys) replaced.Dispose();
        return new FederatedModel(model.Name, model.HeadPool, network);
    }

    /// <summary>The smaller copy of each layer that loses inputs or outputs, walking the chain with the channels kept so far.</summary>
    private static Dictionary<nn.Module, nn.Module<Tensor, Tensor>> Pruned(List<nn.Module> layers, double fraction)
    {
        var rebuilt = new Dictionary<nn.Module, nn.Module<Tensor, Tensor>>(ReferenceEqualityComparer.Instance);
        using var _ = no_grad();
        long[]? kept = null; // the current activation's kept channels (or features, once flattened); null: all
        long channels = 0;
        bool flattened = false;
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            switch (RoleOf(layer))
            {
                case Role.Convolution or Role.FullyConnected:
                    var (weight, _) = WeightAndBias(layer);
                    long[]? inputs = flattened && kept is not null ? Features(kept, weight.shape[1] / channels) : kept;
                    long[]? outputs = FeedsWeightedLayer(layers, i) ? Strongest(weight, inputs, fraction) : null;
                    if (inputs is not null || outputs is not null) rebuilt[layer] = Smaller(layer, inputs, outputs);
                    (kept, channels, flattened) = (outputs, weight.shape[0], false);
                    break;
                case Role.Depthwise when kept is not null:
                    rebuilt[layer] = Smaller(layer, kept, kept);
                    break;
                case Role.Flatten:
                    flattened = true;
                    break;
            }
        }
        return rebuilt;
    }

    private static Role RoleOf(nn.Module layer) => layer switch
    {
        Conv2d conv when conv.groups == 1 => Role.Convolution,
        Conv2d conv when conv.groups == conv.in_channels && conv.in_channels == conv.out_channels => Role.Depthwise,
        Linear => Role.FullyConnected,
        Flatten => Role.Flatten,
        _ when ChannelWise.Contains(layer.GetType()) => Role.ChannelWise,
        _ => Role.Barrier,
    };

    /// <summary>Whether layer <paramref name="index"/>'s outputs reach the next weighted layer channel by channel.</summary>
    private static bool FeedsWeightedLayer(List<nn.Module> layers, int index)
    {
        bool convolution = RoleOf(layers[index]) == Role.Convolution;
        bool flattened = false;
        foreach (var layer in layers.Skip(index + 1))
        {
            switch (RoleOf(layer))
            {
                case Role.Convolution: return convolution && !flattened;
                case Role.FullyConnected: return !convolution || flattened;
                case Role.Flatten: flattened = true; break;
                case Role.Barrier: return false;
            }
        }
        return false;
    }

    /// <summary>The outputs to keep: the largest L1 norms over the kept inputs, in their original order.</summary>
    private static long[] Strongest(Tensor weight, long[]? inputs, double fraction)
    {
        long count = weight.shape[0];
        long keep = Math.Max(1, (long)Math.Round(count * (1 - fraction)));
        using var scope = NewDisposeScope();
        var used = inputs is null ? weight : weight.index_select(1, tensor(inputs));
        var norms = used.abs().reshape(count, -1).sum(1);
        return [.. norms.topk((int)keep).indexes.data<long>().Order()];
    }

    /// <summary>Flattened feature positions of the kept channels, each channel <paramref name="cells"/> features long.</summary>
    private static long[] Features(long[] channels, long cells) =>
        [.. channels.SelectMany(channel => Enumerable.Range(0, checked((int)cells)).Select(cell => channel * cells + cell))];

    /// <summary>A copy of a weighted layer with only the given inputs (dimension 1) and outputs (dimension 0); null keeps all.</summary>
    private static nn.Module<Tensor, Tensor> Smaller(nn.Module layer, long[]? inputs, long[]? outputs)
    {
        var (weight, bias) = WeightAndBias(layer);
        using var rows = Kept(weight, 0, outputs);
        using var keptWeight = layer is Conv2d { groups: > 1 } ? rows.clone() : Kept(rows, 1, inputs);
        using var keptBias = bias is null ? null : Kept(bias, 0, outputs);
        // Built outside any dispose scope: the new layer's parameters must outlive this method.
        var smaller = layer switch
        {
            Conv2d conv => SmallerConvolution(conv, keptWeight.shape, keptWeight.shape[0], bias is not null),
            Linear => nn.Linear(keptWeight.shape[1], keptWeight.shape[0], hasBias: bias is not null),
            _ => throw new InvalidOperationException($"{layer.GetType().Name} is not a weighted layer"),
        };
        var (smallerWeight, smallerBias) = WeightAndBias(smaller);
        smallerWeight.copy_(keptWeight);
        if (keptBias is not null) smallerBias!.copy_(keptBias);
        return smaller;
    }

    /// <summary>A copy of <paramref name="tensor"/> with only the given positions along <paramref name="dimension"/>; null keeps all.</summary>
    private static Tensor Kept(Tensor tensor, long dimension, long[]? positions)
    {
        using var index = positions is null ? arange(tensor.shape[dimension]) : torch.tensor(positions);
        return tensor.index_select(dimension, index);
    }

    private static (Parameter Weight, Parameter? Bias) WeightAndBias(nn.Module layer) => layer switch
    {
        Conv2d conv => (conv.weight!, conv.bias),
        Linear linear => (linear.weight!, linear.bias),
        _ => throw new InvalidOperationException($"{layer.GetType().Name} is not a weighted layer"),
    };

    /// <summary>A convolution with <paramref name="conv"/>'s settings and the kept weight's channels (a depthwise one stays depthwise).</summary>
    private static nn.Module<Tensor, Tensor> SmallerConvolution(Conv2d conv, long[] weightShape, long outputs, bool bias)
    {
        long groups = conv.groups == 1 ? 1 : outputs;
        long inputs = weightShape[1] * groups;
        var kernel = (conv.kernel_size[0], conv.kernel_size[1]);
        var stride = (conv.stride[0], conv.stride[1]);
        var dilation = (conv.dilation[0], conv.dilation[1]);
        if (conv.padding_type is Padding.Same or Padding.Valid)
            return nn.Conv2d(inputs, outputs, kernel, conv.padding_type.Value, stride, dilation, conv.padding_mode, groups, bias);
        long[] padding = conv.padding ?? [0, 0];
        return nn.Conv2d(inputs, outputs, kernel, stride, (padding[0], padding[1]), dilation, conv.padding_mode, groups, bias);
    }

    /// <summary>The network's layers in the order they run, its containers (sequences, body and head) opened.</summary>
    private static IEnumerable<nn.Module> Layers(nn.Module module) =>
        Parts(module) is { } parts ? parts.SelectMany(Layers) : [module];

    /// <summary>The same containers around the rebuilt layers and the layers left as they were.</summary>
    private static nn.Module<Tensor, Tensor> Rebuild(nn.Module<Tensor, Tensor> module, Dictionary<nn.Module, nn.Module<Tensor, Tensor>> rebuilt) => module switch
    {
        BodyAndHead network => new BodyAndHead(network.GetName(), Rebuild(network.Body, rebuilt), Rebuild(network.Head, rebuilt)),
        Sequential sequence => nn.Sequential(sequence.named_children().Select(child => (child.name, Rebuild((nn.Module<Tensor, Tensor>)child.module, rebuilt)))),
        _ => rebuilt.GetValueOrDefault(module) ?? module,
    };

    private static IEnumerable<nn.Module>? Parts(nn.Module module) => module switch
    {
        BodyAndHead network => [network.Body, network.Head],
        Sequential sequence => sequence.children(),
        _ => null,
    };
}
