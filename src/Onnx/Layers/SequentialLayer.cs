using TorchSharp.Modules;

namespace PoolCompress.Onnx.Layers;

/// <summary>The children in their registered order, each fed the last one's output.</summary>
internal sealed class SequentialLayer : OnnxLayer<Sequential>
{
    protected override string Write(Sequential module, OnnxValue input, OnnxGraph graph)
    {
        var value = input;
        foreach (var (name, child) in module.named_children()) value = graph.Write(name, child, value);
        return value.Name;
    }
}
