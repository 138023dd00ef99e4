using PoolCompress.Learning;

namespace PoolCompress.Onnx.Tests;

/// <summary>The deployment benchmark measures each engine on the files it wrote; its timings are figures, not asserted.</summary>
public sealed class DeploymentBenchmarkTests
{
    [Fact]
    public void EachEngineIsMeasuredWithTheSizeOfTheFileItRuns()
    {
        var spec = new DataSpec([20], Dataset.NumberedClasses(3));
        using var model = ModelFactory.Create("mlp", null, seed: 1, spec);
        var folder = Directory.CreateTempSubdirectory("poolcompress-onnx-bench-");
        try
        {
            var figures = DeploymentBenchmark.Measure(model, spec, folder.FullName);

            Assert.Equal([DeploymentBenchmark.TorchSharp, DeploymentBenchmark.OnnxRuntime, DeploymentBenchmark.OnnxRuntimeInt8], figures.Select(f => f.Engine));
            Assert.Equal(new FileInfo(Path.Combine(folder.FullName, "model.safetensors")).Length, figures[0].Bytes);
            Assert.Equal(new FileInfo(Path.Combine(folder.FullName, "model.int8.onnx")).Length, figures[2].Bytes);
            Assert.True(figures[2].Bytes < figures[1].Bytes / 3);
            Assert.All(figures, f => Assert.True(f.Inference.Batch1P50Milliseconds > 0 && f.Inference.Batch1P99Milliseconds >= f.Inference.Batch1P50Milliseconds));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
