using static TorchSharp.torch;

namespace PoolCompress.Onnx;

/// <summary>
/// A tensor of the graph being written: its ONNX name, and what TorchSharp computes for it on the probe sample, which
/// gives every layer the shape it receives (an adaptive pool's windows depend on it).
/// </summary>
public sealed record OnnxValue(string Name, Tensor Probe)
{
    /// <summary>The probe's shape; dimension 0 is the batch.</summary>
    public long[] Shape => Probe.shape;
}
