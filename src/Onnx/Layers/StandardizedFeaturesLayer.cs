using PoolCompress.Learning;

namespace PoolCompress.Onnx.Layers;

/// <summary>LayerNormalization over the last axis with a unit scale and no shift.</summary>
internal sealed class StandardizedFeaturesLayer : OnnxLayer<StandardizedFeatures>
{
    protected override string Write(StandardizedFeatures module, OnnxValue input, OnnxGraph graph)
    {
        long features = input.Shape[^1];
        string scale = graph.Floats(Enumerable.Repeat(1f, checked((int)features)).ToArray(), features);
        return graph.Node("LayerNormalization", [input.Name, scale],
            OnnxAttributes.Int("axis", -1), OnnxAttributes.Float("epsilon", (float)StandardizedFeatures.Epsilon));
    }
}
