using PoolCompress.Coordinator.Models;
using PoolCompress.Learning;

namespace PoolCompress.Integration.Tests;

/// <summary>`poolcompress export` takes a global model version out of a coordinator's model store.</summary>
public sealed class ModelExportCliTests : IDisposable
{
    private static readonly TimeSpan Patience = TestCoordinator.Patience;
    private readonly string _dir = Directory.CreateTempSubdirectory("poolcompress-export-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Export_writes_the_stored_version_and_refuses_a_model_that_does_not_match_it()
    {
        string store = Path.Combine(_dir, "store");
        long version;
        await using (var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "1", ["Federation:Rounds"] = "1", ["Federation:HeadPool"] = "avg:2", ["Coordinator:ModelStoreDir"] = store,
        }))
        {
            var client = EndToEndFederationTests.StartClients(coordinator.Address, 1);
            version = (await coordinator.WaitUntilDoneAsync(Patience)).History[^1].ModelVersion;
            await Task.WhenAll(client);
        }
        string path = Path.Combine(_dir, "out", "digits");

        var exported = await CliProcess.RunAsync(Patience, "export", "--model-store", store, "--version", $"{version}", "--out", path, "--head-pool", "avg:2");
        var mismatched = await CliProcess.RunAsync(Patience, "export", "--model-store", store, "--version", $"{version}", "--out", path + "-bad", "--model", "dsconv");
        var missing = await CliProcess.RunAsync(Patience, "export", "--model-store", store, "--version", $"{version + 9}", "--out", path + "-none", "--head-pool", "avg:2");

        Assert.True(exported.ExitCode == 0, exported.Stderr);
        using var model = ModelExport.Read(path);
        var weights = new float[model.ParameterCount];
        model.GetWeights(weights);
        Assert.Equal(await new DirectoryModelStore(store).LoadAsync(ModelSeries.Global("default"), version), weights);
        Assert.Equal("avg:2", model.HeadPool);
        Assert.Equal(3, mismatched.ExitCode);
        Assert.Contains("holds", mismatched.Stderr);
        Assert.False(File.Exists(path + "-bad.safetensors"));
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("not in the model store", missing.Stderr);
    }

    [Fact]
    public async Task Export_writes_onnx_models_that_run_and_measures_their_test_accuracy()
    {
        string trained = Path.Combine(_dir, "trained");
        using (var model = ModelFactory.Create("cnn", "max:2", seed: 1))
            ModelExport.Write(model, new ExportInfo("cnn", model.HeadPool, [1, 28, 28], Dataset.DigitClasses, 1, new Dictionary<string, double>()), trained);
        string path = Path.Combine(_dir, "deploy");

        var exported = await CliProcess.RunAsync(Patience, "export", "--from", trained, "--out", path, "--onnx", "--quantize", "int8", "--evaluate", "--dataset", "synthetic");
        var unknown = await CliProcess.RunAsync(Patience, "export", "--from", trained, "--out", path + "-bad", "--quantize", "int4");

        Assert.True(exported.ExitCode == 0, exported.Stderr);
        var metrics = ModelExport.ReadInfo(path).Metrics;
        Assert.True(new FileInfo(path + ".int8.onnx").Length < new FileInfo(path + ".onnx").Length / 3);
        Assert.Equal(metrics["test_accuracy"], metrics["onnx_test_accuracy"]);
        Assert.InRange(metrics["onnx_int8_test_accuracy"], 0, 1);
        Assert.Equal(new FileInfo(path + ".int8.onnx").Length, metrics["onnx_int8_bytes"]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal("error: --quantize 'int4' is unknown; allowed: int8, float32", unknown.Stderr.Trim());
    }

    [Fact]
    public async Task Export_prunes_the_onnx_models_and_measures_the_pruned_models_accuracy()
    {
        string trained = Path.Combine(_dir, "trained");
        int parameters;
        using (var model = ModelFactory.Create("dsconv", "max:2", seed: 1))
        {
            parameters = model.ParameterCount;
            ModelExport.Write(model, new ExportInfo("dsconv", model.HeadPool, [1, 28, 28], Dataset.DigitClasses, 1, new Dictionary<string, double>()), trained);
        }
        string path = Path.Combine(_dir, "pruned");

        var exported = await CliProcess.RunAsync(Patience, "export", "--from", trained, "--out", path,
            "--prune-channels", "0.5", "--prune", "0.5", "--quantize", "int8", "--evaluate", "--dataset", "synthetic");
        var refused = await CliProcess.RunAsync(Patience, "export", "--from", trained, "--out", path + "-bad", "--onnx", "--prune", "1.5");

        Assert.True(exported.ExitCode == 0, exported.Stderr);
        var metrics = ModelExport.ReadInfo(path).Metrics;
        Assert.InRange(metrics["pruned_parameters"], 1, parameters * 0.6);
        Assert.InRange(metrics["pruned_weight_sparsity"], 0.4999, 0.5001);
        Assert.InRange(metrics["pruned_test_accuracy"], 0, 1);
        Assert.InRange(metrics["onnx_int8_test_accuracy"], 0, 1);
        using (var model = ModelExport.Read(path)) Assert.Equal(parameters, model.ParameterCount);
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal("error: a pruning sparsity is a fraction from 0 up to but not including 1, not 1.5", refused.Stderr.Trim());
        Assert.False(File.Exists(path + "-bad.safetensors"));
    }
}
