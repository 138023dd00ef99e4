using PoolCompress.Learning;

namespace PoolCompress.Onnx.Layers;

/// <summary>The head applied to the body's output.</summary>
internal sealed class BodyAndHeadLayer : OnnxLayer<BodyAndHead>
{
    protected override string Write(BodyAndHead module, OnnxValue input, OnnxGraph graph)
    {
        var features = graph.Write("body", module.Body, input);
        return graph.Write("head", module.Head, features).Name;
    }
}
