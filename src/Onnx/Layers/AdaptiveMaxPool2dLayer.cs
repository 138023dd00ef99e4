using TorchSharp.Modules;

namespace PoolCompress.Onnx.Layers;

internal sealed class AdaptiveMaxPool2dLayer : OnnxLayer<AdaptiveMaxPool2d>
{
    protected override string Write(AdaptiveMaxPool2d module, OnnxValue input, OnnxGraph graph) =>
        AdaptivePooling.Write(input, SquareGrid.Side(module.output_size, graph), AdaptivePooling.Reduction.Max, graph);
}
