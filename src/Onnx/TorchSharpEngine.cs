using PoolCompress.Learning;
using static TorchSharp.torch;

namespace PoolCompress.Onnx;

/// <summary>A <see cref="FederatedModel"/> in evaluation mode on the CPU, without gradients.</summary>
public sealed class TorchSharpEngine : IInferenceEngine
{
    private readonly FederatedModel _model;
    private readonly long[] _sampleShape;

    public TorchSharpEngine(FederatedModel model, IReadOnlyList<int> sampleShape)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sampleShape);
        _model = model;
        _sampleShape = [.. sampleShape.Select(size => (long)size)];
        _model.Network.eval();
    }

    public float[] Run(float[] batch, int samples)
    {
        using var _ = no_grad();
        using var input = tensor(batch, [samples, .. _sampleShape]);
        using var logits = _model.Network.call(input);
        return logits.data<float>().ToArray();
    }

    public void Dispose() => _model.Dispose();
}
