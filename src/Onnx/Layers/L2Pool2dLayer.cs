using PoolCompress.Learning;

namespace PoolCompress.Onnx.Layers;

/// <summary>Sqrt(adaptive mean of the squares + epsilon).</summary>
internal sealed class L2Pool2dLayer : OnnxLayer<L2Pool2d>
{
    protected override string Write(L2Pool2d module, OnnxValue input, OnnxGraph graph)
    {
        string squares = graph.Node("Mul", [input.Name, input.Name]);
        string mean = AdaptivePooling.Write(input with { Name = squares }, module.Size, AdaptivePooling.Reduction.Mean, graph);
        return graph.Node("Sqrt", [graph.Node("Add", [mean, graph.Floats([(float)L2Pool2d.Epsilon])])]);
    }
}
