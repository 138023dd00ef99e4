using TorchSharp.Modules;

namespace PoolCompress.Onnx.Layers;

/// <summary>Flatten from dimension 1 on: batch x features.</summary>
internal sealed class FlattenLayer : OnnxLayer<Flatten>
{
    protected override string Write(Flatten module, OnnxValue input, OnnxGraph graph)
    {
        long rank = input.Shape.Length;
        bool fromOneToLast = (module.start_dim + rank) % rank == 1 && (module.end_dim + rank) % rank == rank - 1;
        if (!fromOneToLast) throw graph.Unmapped($"flatten of dimensions {module.start_dim} to {module.end_dim} (only 1 to the last maps)");
        return graph.Node("Flatten", [input.Name], OnnxAttributes.Int("axis", 1));
    }
}
