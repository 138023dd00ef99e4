using TorchSharp.Modules;

namespace PoolCompress.Onnx.Layers;

/// <summary>Gemm of the input and the transposed weight, plus the bias.</summary>
internal sealed class LinearLayer : OnnxLayer<Linear>
{
    protected override string Write(Linear module, OnnxValue input, OnnxGraph graph)
    {
        if (input.Shape.Length != 2) throw graph.Unmapped($"a fully connected layer on {input.Shape.Length}-dimensional input (only batch x features maps)");
        List<string> inputs = [input.Name, graph.ChannelWeights(module.weight!)];
        if (module.bias is { } bias) inputs.Add(graph.Floats(bias));
        return graph.Node("Gemm", inputs, OnnxAttributes.Int("transB", 1));
    }
}
