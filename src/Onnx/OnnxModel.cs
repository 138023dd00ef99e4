using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace PoolCompress.Onnx;

/// <summary>An exported model loaded into ONNX Runtime on the CPU: a batch of samples in, logits out.</summary>
public sealed class OnnxModel : IInferenceEngine
{
    private readonly InferenceSession _session;
    private readonly long[] _sampleShape;

    /// <param name="threads">Intra-op threads; 0 lets ONNX Runtime choose (one per core).</param>
    public OnnxModel(string path, IReadOnlyList<int> sampleShape, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(sampleShape);
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = threads };
        // ONNX Runtime otherwise keeps DequantizeLinear nodes for execution providers that fuse them, and on the CPU
        // then dequantizes every int8 weight on every call; folded at load, an int8 file runs as fast as a float one.
        options.AddSessionConfigEntry("session.disable_quant_qdq", "1");
        _session = new InferenceSession(path, options);
        _sampleShape = [.. sampleShape.Select(size => (long)size)];
    }

    public float[] Run(float[] batch, int samples)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var input = OrtValue.CreateTensorValueFromMemory(batch, [samples, .. _sampleShape]);
        using var outputs = _session.Run(new RunOptions(), [OnnxExport.InputName], [input], [OnnxExport.OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose() => _session.Dispose();
}
