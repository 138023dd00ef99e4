using PoolCompress.Learning;

namespace PoolCompress.Onnx.Layers;

/// <summary>Each level's adaptive max pool, flattened, concatenated in level order.</summary>
internal sealed class SpatialPyramidPool2dLayer : OnnxLayer<SpatialPyramidPool2d>
{
    protected override string Write(SpatialPyramidPool2d module, OnnxValue input, OnnxGraph graph)
    {
        var levels = module.Levels.Select(level => graph.Node("Flatten",
            [AdaptivePooling.Write(input, level, AdaptivePooling.Reduction.Max, graph)], OnnxAttributes.Int("axis", 1)));
        return graph.Node("Concat", levels, OnnxAttributes.Int("axis", 1));
    }
}
