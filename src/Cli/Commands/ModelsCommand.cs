using System.CommandLine;
using PoolCompress.Learning;
using PoolCompress.Onnx;
using Spectre.Console;

namespace PoolCompress.Cli.Commands;

/// <summary>
/// Lists the models and pooled-head variants with their parameter counts, split by body and head; with
/// <c>--benchmark</c>, each model's local training throughput on this machine and what it costs to deploy (bytes on
/// disk, inference latency and throughput, peak memory) in TorchSharp and ONNX Runtime, float32 and int8.
/// </summary>
internal static class ModelsCommand
{
    private const int Classes = 10;
    private static readonly string?[] HeadPools = [null, "avg:1", "avg:2", "max:2", "l2:2", "mixed:2", "spp:1,2", "avg:4"];

    /// <summary>The heads the deployment benchmark compares: the full one and the main job's pooled one.</summary>
    private static readonly string?[] DeployedHeads = [null, "max:2"];

    public static Command Create()
    {
        var benchmark = new Option<bool>("--benchmark")
        {
            Description = "Also train each model (plain head) for one epoch on generated data and print samples/s, and time its inference (plain and max:2 head) " +
                          "in TorchSharp and in ONNX Runtime (float32, int8): bytes on disk, batch-1 p50/p99 latency, batch-32 samples/s, peak memory",
        };
        var command = new Command("models", "List models and pooled heads with parameter counts (body / head)") { benchmark };
        command.SetAction(parse =>
        {
            var table = new Table().AddColumns("model", "input", "head-pool", "parameters", "body", "head", "update size (fp32)");
            foreach (var definition in ModelCatalog.All)
            foreach (string? pool in HeadPools)
            {
                FederatedModel model;
                try
                {
                    model = ModelFactory.Create(definition.Name, pool, seed: 1, Example(definition));
                }
                catch (ArgumentException) when (pool is not null)
                {
                    continue; // a model without feature maps (mlp) takes no pooled head
                }
                using (model)
                {
                    table.AddRow(definition.Name, InputShape.Format(definition.ExampleInput), pool ?? "-", $"{model.ParameterCount:N0}",
                        $"{model.BodyParameterCount:N0}", $"{model.HeadParameterCount:N0}", $"{model.ParameterCount * 4.0 / (1 << 20):F2} MiB");
                }
            }
            AnsiConsole.Write(table);
            foreach (var definition in ModelCatalog.All) AnsiConsole.MarkupLineInterpolated($"[bold]{definition.Name}[/]: {definition.Description}");
            if (parse.GetValue(benchmark))
            {
                AnsiConsole.Write(Benchmark());
                AnsiConsole.Write(DeploymentTable());
            }
            return 0;
        });
        return command;
    }

    private static DataSpec Example(IModelDefinition definition) => new(definition.ExampleInput, Dataset.NumberedClasses(Classes));

    /// <summary>One epoch of local SGD (B=32) over 1,024 generated samples per model, after a warm-up epoch.</summary>
    private static Table Benchmark()
    {
        const int samples = 1_024;
        var table = new Table().AddColumns("model", "input", "parameters", "train samples/s");
        foreach (var definition in ModelCatalog.All)
        {
            var spec = Example(definition);
            using var model = ModelFactory.Create(definition.Name, null, seed: 1, spec);
            var random = new Random(1);
            int length = spec.InputShape.Aggregate(1, (product, size) => product * size);
            var data = new Dataset(
                [.. Enumerable.Range(0, samples * length).Select(_ => random.NextSingle())],
                [.. Enumerable.Range(0, samples).Select(i => (byte)(i % Classes))], spec.InputShape, spec.Classes);
            var options = new TrainingOptions(Epochs: 1, BatchSize: 32, LearningRate: 0.01, Seed: 1, Momentum: 0);
            LocalTrainer.Train(model, data.Subset([.. Enumerable.Range(0, 128)]), options);
            var result = LocalTrainer.Train(model, data, options);
            table.AddRow(definition.Name, InputShape.Format(spec.InputShape), $"{model.ParameterCount:N0}", $"{samples / result.Seconds:N0}");
        }
        return table;
    }

    /// <summary>Each model with the full and the max:2 head as TorchSharp, ONNX Runtime and ONNX Runtime int8 run it.</summary>
    private static Table DeploymentTable()
    {
        var table = new Table().AddColumns("model", "head-pool", "parameters", "engine", "bytes on disk", "batch 1 p50 ms", "batch 1 p99 ms", "batch 32 samples/s", "peak memory");
        var folder = Directory.CreateTempSubdirectory("poolcompress-deploy-");
        try
        {
            foreach (var definition in ModelCatalog.All)
            foreach (string? pool in definition.Name == "mlp" ? [null] : DeployedHeads)
            {
                var spec = Example(definition);
                using var model = ModelFactory.Create(definition.Name, pool, seed: 1, spec);
                foreach (var deployed in DeploymentBenchmark.Measure(model, spec, folder.FullName))
                {
                    var inference = deployed.Inference;
                    table.AddRow(definition.Name, pool ?? "-", $"{model.ParameterCount:N0}", deployed.Engine, $"{deployed.Bytes:N0}",
                        $"{inference.Batch1P50Milliseconds:F3}", $"{inference.Batch1P99Milliseconds:F3}", $"{inference.Batch32SamplesPerSecond:N0}",
                        inference.PeakMemoryBytes is { } peak ? $"{peak / (double)(1 << 20):F1} MiB" : "-");
                }
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
        return table;
    }
}
