using TorchSharp.Modules;
using TorchSharp;

namespace PoolCompress.Onnx.Layers;

/// <summary>Conv with the module's kernel, strides, zero padding, dilations and groups.</summary>
internal sealed class Conv2dLayer : OnnxLayer<Conv2d>
{
    protected override string Write(Conv2d module, OnnxValue input, OnnxGraph graph)
    {
        if (module.padding_mode != PaddingModes.Zeros) throw graph.Unmapped($"padding mode {module.padding_mode} (only zero padding maps)");
        if (module.padding_type == Padding.Same) throw graph.Unmapped("padding 'same' (give the padding in numbers)");
        long[] padding = module.padding_type == Padding.Valid ? [0, 0] : module.padding ?? [0, 0];
        List<string> inputs = [input.Name, graph.ChannelWeights(module.weight!)];
        if (module.bias is { } bias) inputs.Add(graph.Floats(bias));
        return graph.Node("Conv", inputs,
            OnnxAttributes.Ints("kernel_shape", module.kernel_size),
            OnnxAttributes.Ints("strides", module.stride),
            OnnxAttributes.Ints("pads", [padding[0], padding[1], padding[0], padding[1]]),
            OnnxAttributes.Ints("dilations", module.dilation),
            OnnxAttributes.Int("group", module.groups));
    }
}
