using PoolCompress.Learning;

namespace PoolCompress.Onnx.Layers;

/// <summary>avg + alpha (max - avg), alpha the trained blend as a constant.</summary>
internal sealed class MixedPool2dLayer : OnnxLayer<MixedPool2d>
{
    protected override string Write(MixedPool2d module, OnnxValue input, OnnxGraph graph)
    {
        string max = AdaptivePooling.Write(input, module.Size, AdaptivePooling.Reduction.Max, graph);
        string average = AdaptivePooling.Write(input, module.Size, AdaptivePooling.Reduction.Mean, graph);
        string blend = graph.Node("Mul", [graph.Node("Sub", [max, average]), graph.Floats([(float)module.MaxWeight])]);
        return graph.Node("Add", [average, blend]);
    }
}
