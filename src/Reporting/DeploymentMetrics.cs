namespace PoolCompress.Reporting;

/// <summary>
/// What one export of a run's final model costs and scores in one inference engine on this machine: a row of the
/// study report's deployment table, kept in summary.json under <c>deployment</c>.
/// </summary>
/// <param name="Export">The study's name for the export (e.g. <c>int8</c>, <c>pruned</c>).</param>
/// <param name="Engine">TorchSharp, ONNX Runtime or ONNX Runtime int8.</param>
/// <param name="Parameters">The deployed model's parameters, after channel pruning.</param>
/// <param name="Sparsity">The fraction of its weights (tensors of two or more dimensions) that are zero.</param>
/// <param name="Bytes">The file the engine loads: safetensors for TorchSharp, the .onnx file for ONNX Runtime.</param>
/// <param name="PeakMemoryBytes">How far the process's resident set rose while the engine was loaded and run; null where it cannot be measured.</param>
/// <param name="Accuracy">Test accuracy as this engine computes the logits.</param>
public sealed record DeploymentMetrics(
    string Export,
    string Engine,
    long Parameters,
    double Sparsity,
    long Bytes,
    double Batch1P50Milliseconds,
    double Batch1P99Milliseconds,
    double Batch32SamplesPerSecond,
    long? PeakMemoryBytes,
    double Accuracy,
    double MacroF1);
