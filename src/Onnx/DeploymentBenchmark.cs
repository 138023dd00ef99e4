using PoolCompress.Learning;

namespace PoolCompress.Onnx;

/// <summary>One way to deploy a model: the engine, its file's bytes on disk and how it runs.</summary>
public sealed record DeploymentFigures(string Engine, long Bytes, InferenceFigures Inference);

/// <summary>
/// A model as TorchSharp runs it (from its safetensors) and as ONNX Runtime runs its float32 and int8 exports, each
/// file written to a folder, loaded and timed by <see cref="InferenceBenchmark"/>.
/// </summary>
public static class DeploymentBenchmark
{
    public const string TorchSharp = "TorchSharp";
    public const string OnnxRuntime = "ONNX Runtime";
    public const string OnnxRuntimeInt8 = "ONNX Runtime int8";

    public static IReadOnlyList<DeploymentFigures> Measure(FederatedModel model, DataSpec spec, string directory)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spec);
        string path = Path.Combine(directory, "model");
        ModelExport.Write(model, new ExportInfo(model.Name, model.HeadPool, spec.InputShape, spec.Classes, 0, new Dictionary<string, double>()), path);
        var figures = new List<DeploymentFigures>
        {
            new(TorchSharp, new FileInfo(path + ".safetensors").Length,
                InferenceBenchmark.Measure(() => new TorchSharpEngine(ModelExport.Read(path), spec.InputShape), spec.InputShape)),
        };
        foreach (var (engine, precision) in new[] { (OnnxRuntime, WeightPrecision.Float32), (OnnxRuntimeInt8, WeightPrecision.Int8) })
        {
            string file = OnnxFiles.PathOf(path, precision);
            long bytes = OnnxExport.Write(model, spec.InputShape, precision, file);
            figures.Add(new(engine, bytes, InferenceBenchmark.Measure(() => new OnnxModel(file, spec.InputShape), spec.InputShape)));
        }
        return figures;
    }
}
