using TorchSharp.Modules;

namespace PoolCompress.Onnx.Layers;

/// <summary>
/// N x C x ... reshaped to N x G x rest, InstanceNormalization over each group, the shape restored, then the
/// per-channel scale and shift: ONNX's own GroupNormalization changed meaning between opsets 18 and 21.
/// </summary>
internal sealed class GroupNormLayer : OnnxLayer<GroupNorm>
{
    protected override string Write(GroupNorm module, OnnxValue input, OnnxGraph graph)
    {
        long groups = module.num_groups;
        var ones = Enumerable.Repeat(1f, (int)groups).ToArray();
        string grouped = graph.Node("Reshape", [input.Name, graph.Int64s(0, groups, -1)]);
        string normalized = graph.Node("InstanceNormalization", [grouped, graph.Floats(ones, groups), graph.Floats(new float[groups], groups)],
            OnnxAttributes.Float("epsilon", (float)module.eps));
        string restored = graph.Node("Reshape", [normalized, graph.Node("Shape", [input.Name])]);
        if (!module.affine) return restored;
        long[] perChannel = [input.Shape[1], .. Enumerable.Repeat(1L, input.Shape.Length - 2)];
        using var weight = module.weight!.reshape(perChannel);
        using var bias = module.bias!.reshape(perChannel);
        return graph.Node("Add", [graph.Node("Mul", [restored, graph.Floats(weight)]), graph.Floats(bias)]);
    }
}
