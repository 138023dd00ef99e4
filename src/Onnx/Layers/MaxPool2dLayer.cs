using TorchSharp.Modules;

namespace PoolCompress.Onnx.Layers;

/// <summary>MaxPool with the module's kernel, strides (the kernel when unset), padding, dilations and rounding.</summary>
internal sealed class MaxPool2dLayer : OnnxLayer<MaxPool2d>
{
    protected override string Write(MaxPool2d module, OnnxValue input, OnnxGraph graph)
    {
        long[] kernel = module.kernel_size;
        long[] padding = module.padding ?? [0, 0];
        return graph.Node("MaxPool", [input.Name],
            OnnxAttributes.Ints("kernel_shape", kernel),
            OnnxAttributes.Ints("strides", module.stride ?? kernel),
            OnnxAttributes.Ints("pads", [padding[0], padding[1], padding[0], padding[1]]),
            OnnxAttributes.Ints("dilations", module.dilation ?? [1, 1]),
            OnnxAttributes.Int("ceil_mode", module.ceil_mode ? 1 : 0));
    }
}
