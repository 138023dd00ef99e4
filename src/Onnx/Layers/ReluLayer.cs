using TorchSharp.Modules;

namespace PoolCompress.Onnx.Layers;

internal sealed class ReluLayer : OnnxLayer<ReLU>
{
    protected override string Write(ReLU module, OnnxValue input, OnnxGraph graph) => graph.Node("Relu", [input.Name]);
}
