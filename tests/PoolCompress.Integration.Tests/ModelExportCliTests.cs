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
}
