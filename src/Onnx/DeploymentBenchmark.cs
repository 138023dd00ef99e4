using PoolCompress.Learning;
using TorchSharp.PyBridge;

namespace PoolCompress.Onnx;

/// <summary>One way to deploy a model: the engine, its file's bytes on disk, the deployed model's size, how it runs and, given a test set, how well.</summary>
/// <param name="Parameters">The deployed model's parameters (after channel pruning).</param>
/// <param name="Sparsity">The fraction of its weights (tensors of two or more dimensions) that are zero.</param>
/// <param name="Test">Its accuracy and macro-F1 on the test set as this engine computes them; null without a test set.</param>
public sealed record DeploymentFigures(string Engine, long Bytes, long Parameters, double Sparsity, InferenceFigures Inference, EvaluationResult? Test = null);

/// <summary>
/// A model as TorchSharp runs it (from its safetensors) and as ONNX Runtime runs its float32 and int8 exports, each
/// pruned as <see cref="PruningSettings"/> say, each file written to a folder, loaded and timed by <see cref="InferenceBenchmark"/>.
/// </summary>
public static class DeploymentBenchmark
{
    public const string TorchSharp = "TorchSharp";
    public const string OnnxRuntime = "ONNX Runtime";
    public const string OnnxRuntimeInt8 = "ONNX Runtime int8";

    private static readonly WeightPrecision[] BothPrecisions = [WeightPrecision.Float32, WeightPrecision.Int8];

    /// <param name="model">The trained model; it is left as it is (each engine loads a pruned copy).</param>
    /// <param name="precisions">The ONNX exports to measure; null for float32 and int8.</param>
    /// <param name="test">A test set to measure each engine's accuracy on; null for none.</param>
    public static IReadOnlyList<DeploymentFigures> Measure(
        FederatedModel model, DataSpec spec, string directory, PruningSettings? pruning = null, IReadOnlyList<WeightPrecision>? precisions = null, Dataset? test = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spec);
        return Measure(() => (pruning ?? PruningSettings.None).Apply(ModelFactory.Copy(model, spec)), spec, Path.Combine(directory, "model"), precisions ?? BothPrecisions, test);
    }

    /// <param name="load">A fresh copy of the deployed model, for each engine to load as a deployment would.</param>
    private static List<DeploymentFigures> Measure(Func<FederatedModel> load, DataSpec spec, string path, IReadOnlyList<WeightPrecision> precisions, Dataset? test)
    {
        using var deployed = load();
        deployed.Network.save_safetensors(path + ".safetensors");
        double sparsity = MagnitudePruning.Sparsity(deployed);
        var figures = new List<DeploymentFigures>
        {
            new(TorchSharp, new FileInfo(path + ".safetensors").Length, deployed.ParameterCount, sparsity,
                InferenceBenchmark.Measure(() => new TorchSharpEngine(load(), spec.InputShape), spec.InputShape),
                test is null ? null : Evaluator.Evaluate(deployed, test)),
        };
        foreach (var precision in precisions)
        {
            string file = OnnxFiles.PathOf(path, precision);
            long bytes = OnnxExport.Write(deployed, spec.InputShape, precision, file);
            figures.Add(new(EngineOf(precision), bytes, deployed.ParameterCount, sparsity,
                InferenceBenchmark.Measure(() => new OnnxModel(file, spec.InputShape), spec.InputShape), test is null ? null : Evaluate(file, spec, test)));
        }
        return figures;
    }

    private static string EngineOf(WeightPrecision precision) => precision == WeightPrecision.Float32 ? OnnxRuntime : OnnxRuntimeInt8;

    private static EvaluationResult Evaluate(string file, DataSpec spec, Dataset test)
    {
        using var runtime = new OnnxModel(file, spec.InputShape);
        return OnnxEvaluation.Evaluate(runtime, test);
    }
}
