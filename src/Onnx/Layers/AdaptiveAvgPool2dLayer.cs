using TorchSharp.Modules;

namespace PoolCompress.Onnx.Layers;

internal sealed class AdaptiveAvgPool2dLayer : OnnxLayer<AdaptiveAvgPool2d>
{
    protected override string Write(AdaptiveAvgPool2d module, OnnxValue input, OnnxGraph graph) =>
        AdaptivePooling.Write(input, SquareGrid.Side(module.output_size, graph), AdaptivePooling.Reduction.Mean, graph);
}
