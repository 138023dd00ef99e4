using System.Runtime.InteropServices;
using Google.Protobuf;
using PoolCompress.Onnx.Ir;
using static TorchSharp.torch;

namespace PoolCompress.Onnx;

/// <summary>
/// The graph an export is writing: nodes and initializers under unique names, each layer found in
/// <see cref="OnnxLayers"/> by its module's exact type, weights stored at the export's <see cref="WeightPrecision"/>.
/// </summary>
public sealed class OnnxGraph(WeightPrecision precision)
{
    private const long Int8Limit = 127;

    private int _nextId;
    private string _path = "";

    internal GraphProto Proto { get; } = new();

    /// <summary>
    /// Writes <paramref name="module"/> (a child named <paramref name="name"/> of the layer being written) applied to
    /// <paramref name="input"/>, and runs it on the input's probe for the output's.
    /// </summary>
    /// <exception cref="UnmappedLayerException">The module's type has no mapping.</exception>
    public OnnxValue Write(string name, nn.Module module, OnnxValue input)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(input);
        string parent = _path;
        _path = parent.Length == 0 ? name : $"{parent}.{name}";
        try
        {
            var layer = OnnxLayers.Find(module.GetType()) ?? throw new UnmappedLayerException(
                $"layer '{_path}' is a {module.GetType().FullName}, which has no ONNX mapping (mapped: {string.Join(", ", OnnxLayers.Mapped.Select(t => t.Name).Order())})");
            string output = layer.Write(module, input, this);
            return new OnnxValue(output, ((nn.Module<Tensor, Tensor>)module).call(input.Probe));
        }
        finally
        {
            _path = parent;
        }
    }

    /// <summary>An error naming the layer being written, for a setting of a mapped type that has no ONNX counterpart.</summary>
    public UnmappedLayerException Unmapped(string why) => new($"layer '{_path}' cannot be exported: {why}");

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string op, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        string output = NewName(op);
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Proto.Node.Add(node);
        return output;
    }

    /// <summary>
    /// A convolution's or fully connected layer's weight (output channels along dimension 0): a float initializer, or
    /// at <see cref="WeightPrecision.Int8"/> int8 values with a scale per output channel, dequantized by a node.
    /// </summary>
    public string ChannelWeights(Tensor weight)
    {
        if (precision == WeightPrecision.Float32) return Floats(weight);
        float[] values = Values(weight);
        int channels = checked((int)weight.shape[0]);
        int perChannel = values.Length / channels;
        var scales = new float[channels];
        var quantized = new sbyte[values.Length];
        for (int c = 0; c < channels; c++)
        {
            var channel = values.AsSpan(c * perChannel, perChannel);
            float largest = 0;
            foreach (float value in channel) largest = Math.Max(largest, Math.Abs(value));
            scales[c] = largest > 0 ? largest / Int8Limit : 1;
            for (int i = 0; i < perChannel; i++)
                quantized[c * perChannel + i] = (sbyte)Math.Clamp(MathF.Round(channel[i] / scales[c]), -Int8Limit, Int8Limit);
        }
        string data = Initializer(TensorProto.Types.DataType.Int8, weight.shape, MemoryMarshal.AsBytes(quantized.AsSpan()));
        string scale = Floats(scales, channels);
        string zeroPoint = Initializer(TensorProto.Types.DataType.Int8, [channels], new byte[channels]);
        return Node("DequantizeLinear", [data, scale, zeroPoint], OnnxAttributes.Int("axis", 0));
    }

    /// <summary>A float32 initializer holding <paramref name="values"/> as they are.</summary>
    public string Floats(Tensor values) => Floats(Values(values), values.shape);

    public string Floats(float[] values, params long[] dims) =>
        Initializer(TensorProto.Types.DataType.Float, dims, MemoryMarshal.AsBytes(values.AsSpan()));

    /// <summary>A one-dimensional int64 initializer, as Slice, Reshape and the like take their arguments.</summary>
    public string Int64s(params long[] values) =>
        Initializer(TensorProto.Types.DataType.Int64, [values.Length], MemoryMarshal.AsBytes(values.AsSpan()));

    private string Initializer(TensorProto.Types.DataType type, long[] dims, ReadOnlySpan<byte> littleEndian)
    {
        string name = NewName("init");
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(littleEndian) };
        tensor.Dims.AddRange(dims);
        Proto.Initializer.Add(tensor);
        return name;
    }

    private string NewName(string what) => $"{(_path.Length == 0 ? "" : _path + "/")}{what}_{_nextId++}";

    private static float[] Values(Tensor tensor)
    {
        using var _ = no_grad();
        using var contiguous = tensor.detach().cpu().contiguous();
        return contiguous.data<float>().ToArray();
    }
}
