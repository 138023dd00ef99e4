using PoolCompress.Learning;

namespace PoolCompress.Onnx.Layers;

/// <summary>Relu(Add(residual, shortcut or the input itself)).</summary>
internal sealed class ResidualBlockLayer : OnnxLayer<ResidualBlock>
{
    protected override string Write(ResidualBlock module, OnnxValue input, OnnxGraph graph)
    {
        string residual = graph.Write("residual", module.Residual, input).Name;
        string shortcut = module.Shortcut is null ? input.Name : graph.Write("shortcut", module.Shortcut, input).Name;
        return graph.Node("Relu", [graph.Node("Add", [residual, shortcut])]);
    }
}
