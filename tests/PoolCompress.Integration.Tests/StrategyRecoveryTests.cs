using System.Text.Json;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// A coordinator killed mid-federation resumes its strategy where it was: FedAdam's moments and step count come back
/// with the model version, so the final model is bit for bit the one of the same federation run without a kill.
/// (Moments restarted from zero, or a step count restarted from one, would give a different model.)
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class StrategyRecoveryTests : IDisposable
{
    private static readonly string[] Options = ["--rounds", "2", "--local-epochs", "1", "--batch-size", "10", "--strategy", "fedadam:lr=0.003"];
    private readonly string _dir = Directory.CreateTempSubdirectory("poolcompress-strategy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_restarted_coordinator_ends_with_the_model_of_an_undisturbed_run()
    {
        string undisturbed = Directory.CreateDirectory(Path.Combine(_dir, "undisturbed")).FullName;
        string restarted = Directory.CreateDirectory(Path.Combine(_dir, "restarted")).FullName;

        await ProcessFederation.RunAsync(undisturbed, Options);
        await ProcessFederation.RunAsync(restarted, Options, killAfterRound: 1);

        Assert.Equal(
            ProcessFederation.Hash(ProcessFederation.ModelFile(undisturbed, 3)),
            ProcessFederation.Hash(ProcessFederation.ModelFile(restarted, 3)));
        Assert.True(File.Exists(Path.Combine(restarted, "models", "default.strategy.m", "model-000003.f32")));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(restarted, "summary.json")));
        Assert.Equal("fedadam:lr=0.003", summary.RootElement.GetProperty("config").GetProperty("strategy").GetString());
    }
}
