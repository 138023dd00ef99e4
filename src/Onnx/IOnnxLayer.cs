using static TorchSharp.torch;

namespace PoolCompress.Onnx;

/// <summary>Writes one TorchSharp module type as ONNX nodes. Registered in <see cref="OnnxLayers"/>.</summary>
public interface IOnnxLayer
{
    /// <summary>The exact module type this writes; a subclass may compute something else in its forward, so it does not match.</summary>
    Type ModuleType { get; }

    /// <summary>Adds the nodes computing <paramref name="module"/> of <paramref name="input"/>; returns the name of their output.</summary>
    string Write(nn.Module module, OnnxValue input, OnnxGraph graph);
}

/// <summary>An <see cref="IOnnxLayer"/> for the module type <typeparamref name="TModule"/>.</summary>
public abstract class OnnxLayer<TModule> : IOnnxLayer where TModule : nn.Module
{
    public Type ModuleType => typeof(TModule);

    public string Write(nn.Module module, OnnxValue input, OnnxGraph graph) => Write((TModule)module, input, graph);

    protected abstract string Write(TModule module, OnnxValue input, OnnxGraph graph);
}
