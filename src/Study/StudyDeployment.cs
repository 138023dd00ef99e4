using PoolCompress.Learning;
using PoolCompress.Onnx;
using PoolCompress.Reporting;

namespace PoolCompress.Study;

/// <summary>
/// A study's <c>deployment</c> section applied to one run: its final model, exported as each entry says into the
/// run's folder (<c>deploy/NAME/</c>), measured in TorchSharp and ONNX Runtime on the run's test set.
/// </summary>
public static class StudyDeployment
{
    public const string ModelFile = "model";
    public const string Folder = "deploy";

    /// <param name="runDirectory">The run's folder, holding the final model the federation exported (<c>model.*</c>).</param>
    /// <param name="test">The test set the federation was evaluated on.</param>
    public static IReadOnlyList<DeploymentMetrics> Measure(string runDirectory, IReadOnlyList<DeploymentExport> exports, Dataset test)
    {
        ArgumentNullException.ThrowIfNull(exports);
        string modelPath = Path.Combine(runDirectory, ModelFile);
        var info = ModelExport.ReadInfo(modelPath);
        using var model = ModelExport.Read(modelPath);
        var rows = new List<DeploymentMetrics>();
        foreach (var export in exports)
        {
            string folder = Path.Combine(runDirectory, Folder, export.Name);
            Directory.CreateDirectory(folder);
            foreach (var deployed in DeploymentBenchmark.Measure(model, new DataSpec(info.InputShape, info.Classes), folder, export.Pruning, [export.Precision], test))
            {
                var (inference, scores) = (deployed.Inference, deployed.Test!);
                rows.Add(new DeploymentMetrics(export.Name, deployed.Engine, deployed.Parameters, deployed.Sparsity, deployed.Bytes,
                    inference.Batch1P50Milliseconds, inference.Batch1P99Milliseconds, inference.Batch32SamplesPerSecond, inference.PeakMemoryBytes,
                    scores.Accuracy, scores.MacroF1));
            }
        }
        return rows;
    }
}
