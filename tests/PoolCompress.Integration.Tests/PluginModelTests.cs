using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// examples/plugin-model, built as its README says, trains in a federation through <c>--model-assembly</c> and the
/// run's summary names the assembly, and its export runs in ONNX Runtime as in TorchSharp; a file that is no plug-in stops the command before it writes anything.
/// </summary>
public sealed class PluginModelTests : IDisposable
{
    private static readonly TimeSpan Patience = TestCoordinator.Patience;
    private readonly string _dir = Directory.CreateTempSubdirectory("poolcompress-plugin-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_example_plugin_trains_two_rounds_with_a_pooled_head_is_recorded_in_the_summary_and_is_exported()
    {
        string plugin = Path.Combine(_dir, "plugin"), run = Path.Combine(_dir, "run"), model = Path.Combine(_dir, "lenet5");
        var build = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "build", Path.Combine(CliProcess.RepositoryRoot, "examples", "plugin-model"), "-c", CliProcess.Configuration, "-o", plugin, "--nologo" })
            build.ArgumentList.Add(arg);
        using var building = Process.Start(build)!;
        var built = await CliProcess.CompleteAsync(building, Patience);
        Assert.True(built.ExitCode == 0, built.Stdout + built.Stderr);

        string assembly = Path.Combine(plugin, "LeNetPlugin.dll");
        var simulated = await CliProcess.RunAsync(Patience, "simulate", "--model-assembly", assembly, "--model", "lenet5",
            "--head-pool", "max:2", "--dataset", "synthetic", "--clients", "2", "--rounds", "2", "--local-epochs", "1", "--seed", "3", "--out", run, "--export", model);

        Assert.True(simulated.ExitCode == 0, simulated.Stderr);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        var described = summary.RootElement.GetProperty("model");
        Assert.Equal("lenet5", described.GetProperty("name").GetString());
        Assert.Equal("max:2", described.GetProperty("head_pool").GetString());
        Assert.Equal(11_582, described.GetProperty("parameters").GetInt32());
        Assert.Equal(2, summary.RootElement.GetProperty("rounds").GetArrayLength());
        var config = summary.RootElement.GetProperty("config");
        Assert.Equal(assembly, config.GetProperty("model_assembly").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(assembly))), config.GetProperty("model_assembly_sha256").GetString());
        using var exported = JsonDocument.Parse(File.ReadAllText(model + ".json"));
        Assert.Equal("lenet5", exported.RootElement.GetProperty("model").GetString());
        Assert.Equal(2, exported.RootElement.GetProperty("rounds").GetInt32());
        Assert.True(File.Exists(model + ".safetensors"));
        Assert.Contains($"model exported to {model}.safetensors", simulated.Stdout);

        var onnx = await CliProcess.RunAsync(Patience, "export", "--model-assembly", assembly, "--from", model, "--out", model + "-deploy", "--onnx", "--evaluate", "--dataset", "synthetic");

        Assert.True(onnx.ExitCode == 0, onnx.Stderr);
        using var deployed = JsonDocument.Parse(File.ReadAllText(model + "-deploy.json"));
        var metrics = deployed.RootElement.GetProperty("metrics");
        Assert.Equal(metrics.GetProperty("test_accuracy").GetDouble(), metrics.GetProperty("onnx_test_accuracy").GetDouble());
        Assert.True(metrics.GetProperty("test_accuracy").GetDouble() > 0.2, "the trained plug-in should beat chance, so equal accuracies mean equal predictions");
    }

    [Fact]
    public async Task A_plugin_that_is_not_an_assembly_stops_the_command_with_exit_2_before_anything_is_written()
    {
        string text = Path.Combine(_dir, "model.dll"), run = Path.Combine(_dir, "run");
        await File.WriteAllTextAsync(text, "not an assembly\n");

        var refused = await CliProcess.RunAsync(Patience, "simulate", "--model-assembly", text, "--model", "lenet5", "--dataset", "synthetic", "--out", run);

        Assert.Equal(2, refused.ExitCode);
        Assert.Equal($"error: model assembly '{text}' is not a .NET assembly", refused.Stderr.Trim());
        Assert.False(Directory.Exists(run));
    }
}
