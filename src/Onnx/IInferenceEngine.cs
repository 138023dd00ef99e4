namespace PoolCompress.Onnx;

/// <summary>Something that turns a batch of samples into logits: a TorchSharp model, or an export in ONNX Runtime.</summary>
public interface IInferenceEngine : IDisposable
{
    /// <summary>The logits of <paramref name="samples"/> samples laid out one after another, batch x classes, row by row.</summary>
    float[] Run(float[] batch, int samples);
}
