using Google.Protobuf;
using PoolCompress.Learning;
using PoolCompress.Onnx.Ir;
using static TorchSharp.torch;

namespace PoolCompress.Onnx;

/// <summary>
/// Writes a <see cref="FederatedModel"/> as an ONNX model (opset <see cref="Opset"/>) that takes a float32 batch
/// <c>input</c> (N x sample shape) and returns <c>logits</c> (N x classes), layer by layer as <see cref="OnnxLayers"/> maps them.
/// </summary>
public static class OnnxExport
{
    /// <summary>17: the first opset with LayerNormalization; per-channel DequantizeLinear came with 13.</summary>
    public const int Opset = 17;

    public const string InputName = "input";
    public const string OutputName = "logits";

    /// <summary>IR version 8, the one that opset 17 came out with.</summary>
    private const int IrVersion = 8;

    /// <exception cref="UnmappedLayerException">A layer of the model has no ONNX mapping.</exception>
    public static ModelProto Build(FederatedModel model, IReadOnlyList<int> inputShape, WeightPrecision precision)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShape);
        var graph = new OnnxGraph(precision);
        graph.Proto.Name = model.Name;
        using (var _ = NewDisposeScope())
        using (var __ = no_grad())
        {
            model.Network.eval();
            using var generator = new Generator(1);
            var probe = randn([1, .. inputShape.Select(size => (long)size)], generator: generator);
            var logits = graph.Write(model.Name, model.Network, new OnnxValue(InputName, probe));
            graph.Proto.Node.Add(new NodeProto { OpType = "Identity", Name = OutputName, Input = { logits.Name }, Output = { OutputName } });
            graph.Proto.Input.Add(Batch(InputName, inputShape.Select(size => (long)size)));
            graph.Proto.Output.Add(Batch(OutputName, logits.Shape.Skip(1)));
        }
        return new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "PoolCompress",
            Graph = graph.Proto,
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = Opset } },
            MetadataProps =
            {
                new StringStringEntryProto { Key = "model", Value = model.Name },
                new StringStringEntryProto { Key = "head_pool", Value = model.HeadPool ?? "" },
                new StringStringEntryProto { Key = "weights", Value = precision.ToString().ToLowerInvariant() },
            },
        };
    }

    /// <summary>Writes the model to <paramref name="path"/>; returns its size in bytes.</summary>
    public static long Write(FederatedModel model, IReadOnlyList<int> inputShape, WeightPrecision precision, string path)
    {
        var proto = Build(model, inputShape, precision);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        using (var file = File.Create(path)) proto.WriteTo(file);
        return new FileInfo(path).Length;
    }

    private static ValueInfoProto Batch(string name, IEnumerable<long> sampleShape)
    {
        var shape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimParam = "batch" } } };
        shape.Dim.AddRange(sampleShape.Select(size => new TensorShapeProto.Types.Dimension { DimValue = size }));
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
