using PoolCompress.Learning;
using static TorchSharp.torch;

namespace PoolCompress.Onnx.Tests;

/// <summary>A model written to a temporary ONNX file and loaded into ONNX Runtime; the file goes on dispose.</summary>
internal sealed class ExportedModel : IDisposable
{
    public ExportedModel(FederatedModel model, IReadOnlyList<int> inputShape, WeightPrecision precision)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"poolcompress-onnx-{Guid.NewGuid():N}.onnx");
        Bytes = OnnxExport.Write(model, inputShape, precision, Path);
        Runtime = new OnnxModel(Path, inputShape, threads: 1);
    }

    public string Path { get; }

    public long Bytes { get; }

    public OnnxModel Runtime { get; }

    /// <summary>Random samples of <paramref name="inputShape"/>, the same for a seed.</summary>
    public static float[] Samples(IReadOnlyList<int> inputShape, int count, int seed)
    {
        using var generator = new Generator((ulong)seed);
        using var samples = randn([count, .. inputShape.Select(size => (long)size)], generator: generator);
        return samples.data<float>().ToArray();
    }

    /// <summary>TorchSharp's logits for the same samples, batch x classes row by row.</summary>
    public static float[] TorchLogits(FederatedModel model, float[] samples, IReadOnlyList<int> inputShape)
    {
        using var _ = no_grad();
        model.Network.eval();
        using var batch = tensor(samples, [samples.Length / inputShape.Aggregate(1, (a, b) => a * b), .. inputShape.Select(size => (long)size)]);
        using var logits = model.Network.call(batch);
        return logits.data<float>().ToArray();
    }

    public void Dispose()
    {
        Runtime.Dispose();
        File.Delete(Path);
    }
}
