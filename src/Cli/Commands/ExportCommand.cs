using System.CommandLine;
using PoolCompress.Contracts;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;
using PoolCompress.Learning;
using PoolCompress.Onnx;

namespace PoolCompress.Cli.Commands;

/// <summary>
/// A global model version from a model store, or a model an earlier export wrote, out as safetensors, a PyTorch state
/// dict and a JSON description; optionally as ONNX models (float32, int8) of the model pruned for deployment, each
/// one's test accuracy measured. The safetensors, state dict and JSON stay the model as trained.
/// </summary>
internal static class ExportCommand
{
    public static Option<string> ExportOption() =>
        new("--export") { Description = "Write the final global model to PATH.safetensors, PATH.pt (PyTorch state dict) and PATH.json" };

    /// <summary>The line a command prints once it has exported the final model to <paramref name="path"/>.</summary>
    public static void ReportExported(string path) => Console.WriteLine($"model exported to {path}.safetensors, .pt and .json");

    public static Command Create()
    {
        var federation = new FederationCliOptions();
        var store = new Option<string>("--model-store") { Description = "The coordinator's model store directory (with --version)" };
        var version = new Option<long?>("--version") { Description = "The global model version to export (the round it completed)" };
        var from = new Option<string>("--from") { Description = "Instead of a model store: PATH of a model an export wrote (PATH.json and PATH.safetensors)" };
        var output = new Option<string>("--out") { Description = "PATH: writes PATH.safetensors, PATH.pt and PATH.json", Required = true };
        var federationId = new Option<string>("--federation-id") { Description = "The federation's id in the store (default: default)" };
        var onnx = new Option<bool>("--onnx") { Description = $"Also write PATH.onnx, an ONNX model (opset {OnnxExport.Opset}) for ONNX Runtime" };
        var quantize = new Option<string>("--quantize") { Description = "int8: also write PATH.int8.onnx with per-channel symmetric int8 weights" };
        var evaluate = new Option<bool>("--evaluate") { Description = "Measure the model's and each ONNX export's accuracy on the test set of --dataset (kept in PATH.json)" };
        var benchmark = new Option<bool>("--benchmark") { Description = "Time the model in TorchSharp and its float32 and int8 exports in ONNX Runtime (as models --benchmark) and keep the figures in PATH.json" };
        var prune = new Option<double>("--prune") { Description = "Zero this fraction of the ONNX exports' weights, those of smallest magnitude across all weight tensors (e.g. 0.9)" };
        var pruneChannels = new Option<double>("--prune-channels") { Description = "Remove this fraction of conv output channels and hidden units (smallest L1 norm) from the ONNX exports, rebuilding smaller layers (e.g. 0.5)" };
        var command = new Command("export", "Export a trained model (safetensors, PyTorch state dict, JSON; ONNX float32 and int8)");
        foreach (var option in new Option[] { store, version, from, output, federationId, onnx, quantize, prune, pruneChannels, evaluate, benchmark, federation.Of(FederationOptions.Model),
                     federation.Of(FederationOptions.HeadPool), federation.Of(FederationOptions.Classes), federation.Of(FederationOptions.InputShape),
                     federation.Of(FederationOptions.Dataset), federation.Of(FederationOptions.DataDir) })
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => CliFailure.Guard(async () =>
        {
            var precisions = Precisions(parse.GetValue(onnx), parse.GetValue(quantize));
            var pruning = new PruningSettings(parse.GetValue(pruneChannels), parse.GetValue(prune));
            pruning.Validate();
            var (model, info) = parse.GetValue(from) is { } source
                ? (ModelExport.Read(source), ModelExport.ReadInfo(source))
                : await LoadFromStoreAsync(parse, federation, parse.GetValue(store), parse.GetValue(version), parse.GetValue(federationId), cancellationToken);
            using (model)
            {
                var test = parse.GetValue(evaluate) ? TestSet(parse, federation, info) : null;
                string path = parse.GetValue(output)!;
                using var deployed = pruning.Apply(ModelFactory.Copy(model, new DataSpec(info.InputShape, info.Classes)));
                var metrics = new Dictionary<string, double>(info.Metrics);
                if (test is not null) metrics["test_accuracy"] = Evaluator.Evaluate(model, test).Accuracy;
                if (!pruning.IsNone) Pruned(deployed, pruning, test, metrics);
                foreach (var precision in precisions) WriteOnnx(deployed, info, precision, path, test, metrics);
                if (parse.GetValue(benchmark)) Benchmark(model, info, pruning, metrics);
                ModelExport.Write(model, info with { Metrics = metrics }, path);
                if (test is not null) Console.WriteLine($"TorchSharp: test accuracy {metrics["test_accuracy"]:P2}");
                ReportExported(path);
            }
            return 0;
        }));
        return command;
    }

    private static WeightPrecision[] Precisions(bool onnx, string? quantize)
    {
        var quantized = quantize is null ? (WeightPrecision?)null : DeploymentExport.ParsePrecision(quantize, "--quantize");
        return [.. new[] { onnx ? WeightPrecision.Float32 : (WeightPrecision?)null, quantized }.OfType<WeightPrecision>().Distinct()];
    }

    private static async Task<(FederatedModel, ExportInfo)> LoadFromStoreAsync(
        ParseResult parse, FederationCliOptions federation, string? directory, long? version, string? federationId, CancellationToken cancellationToken)
    {
        if (directory is null || version is not { } chosen) throw new ArgumentException("give --model-store and --version, or --from PATH");
        if (!Directory.Exists(directory)) throw new ArgumentException($"--model-store '{directory}' does not exist");
        var defaults = new FederationSettings();
        var settings = defaults with
        {
            FederationId = federationId ?? defaults.FederationId,
            Model = parse.GetValue(federation.Of(FederationOptions.Model)) ?? defaults.Model,
            HeadPool = parse.GetValue(federation.Of(FederationOptions.HeadPool)),
            Classes = parse.GetValue(federation.Of(FederationOptions.Classes)),
            InputShape = parse.GetValue(federation.Of(FederationOptions.InputShape)),
        };
        var model = await ModelExporter.LoadAsync(new DirectoryModelStore(directory), settings, chosen, cancellationToken);
        var spec = settings.ParseDataSpec();
        return (model, new ExportInfo(settings.Model, model.HeadPool, spec.InputShape, spec.Classes, checked((int)chosen), new Dictionary<string, double>()));
    }

    private static Dataset TestSet(ParseResult parse, FederationCliOptions federation, ExportInfo info)
    {
        var test = DatasetCatalog.Load(federation.ValueOrDefault(parse, FederationOptions.Dataset), parse.GetValue(federation.Of(FederationOptions.DataDir)), null).Test;
        if (!test.Shape.SequenceEqual(info.InputShape) || test.ClassCount != info.Classes.Count)
            throw new ArgumentException($"the test set holds {InputShape.Format(test.Shape)} samples of {test.ClassCount} classes, the model takes {InputShape.Format(info.InputShape)} of {info.Classes.Count}");
        return test;
    }

    private static void WriteOnnx(FederatedModel model, ExportInfo info, WeightPrecision precision, string path, Dataset? test, Dictionary<string, double> metrics)
    {
        string file = OnnxFiles.PathOf(path, precision);
        long bytes = OnnxExport.Write(model, info.InputShape, precision, file);
        string name = OnnxFiles.Suffix(precision);
        metrics[$"{name}_bytes"] = bytes;
        if (test is null)
        {
            Console.WriteLine($"{file}: {bytes:N0} bytes");
            return;
        }
        using var runtime = new OnnxModel(file, info.InputShape);
        double accuracy = OnnxEvaluation.Evaluate(runtime, test).Accuracy;
        metrics[$"{name}_test_accuracy"] = accuracy;
        Console.WriteLine($"{file}: {bytes:N0} bytes, test accuracy in ONNX Runtime {accuracy:P2}");
    }

    /// <summary>What pruning asked for and reached, and the pruned model's accuracy in TorchSharp.</summary>
    private static void Pruned(FederatedModel deployed, PruningSettings pruning, Dataset? test, Dictionary<string, double> metrics)
    {
        metrics["prune_channels"] = pruning.Channels;
        metrics["prune_sparsity"] = pruning.Sparsity;
        metrics["pruned_parameters"] = deployed.ParameterCount;
        metrics["pruned_weight_sparsity"] = MagnitudePruning.Sparsity(deployed);
        string accuracy = "";
        if (test is not null)
        {
            metrics["pruned_test_accuracy"] = Evaluator.Evaluate(deployed, test).Accuracy;
            accuracy = $", test accuracy in TorchSharp {metrics["pruned_test_accuracy"]:P2}";
        }
        Console.WriteLine($"pruned: {deployed.ParameterCount:N0} parameters, weight sparsity {metrics["pruned_weight_sparsity"]:P1}{accuracy}");
    }

    private static void Benchmark(FederatedModel model, ExportInfo info, PruningSettings pruning, Dictionary<string, double> metrics)
    {
        var folder = Directory.CreateTempSubdirectory("poolcompress-export-");
        try
        {
            foreach (var deployed in DeploymentBenchmark.Measure(model, new DataSpec(info.InputShape, info.Classes), folder.FullName, pruning))
            {
                var figures = deployed.Inference;
                string key = deployed.Engine.ToLowerInvariant().Replace(' ', '_');
                metrics[$"{key}_bytes"] = deployed.Bytes;
                metrics[$"{key}_batch1_p50_ms"] = figures.Batch1P50Milliseconds;
                metrics[$"{key}_batch1_p99_ms"] = figures.Batch1P99Milliseconds;
                metrics[$"{key}_batch32_samples_per_second"] = figures.Batch32SamplesPerSecond;
                if (figures.PeakMemoryBytes is { } peak) metrics[$"{key}_peak_memory_bytes"] = peak;
                Console.WriteLine($"{deployed.Engine}: {deployed.Bytes:N0} bytes, batch 1 p50 {figures.Batch1P50Milliseconds:F3} ms, p99 {figures.Batch1P99Milliseconds:F3} ms, " +
                                  $"batch 32 {figures.Batch32SamplesPerSecond:N0} samples/s, peak memory {(figures.PeakMemoryBytes ?? 0) / (double)(1 << 20):F1} MiB");
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
