using System.Text.Json;

namespace PoolCompress.Federation.Tests;

/// <summary>
/// The coordinator process is SIGKILLed mid-round and started again on the same storage (grain state in Redis,
/// model versions in a directory): the federation goes on from its last completed round with the same global
/// model, and the client processes reconnect by themselves.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("poolcompress-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_killed_coordinator_resumes_from_its_last_completed_round()
    {
        string? afterRound2 = null;

        await ProcessFederation.RunAsync(_dir, ["--rounds", "4", "--batch-size", "10"], killAfterRound: 2,
            whileDown: () => afterRound2 = ProcessFederation.Hash(ProcessFederation.ModelFile(_dir, 3)));

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "summary.json")));
        var rounds = summary.RootElement.GetProperty("rounds").EnumerateArray().ToArray();
        Assert.Equal([1, 2, 3, 4], rounds.Select(r => r.GetProperty("round").GetInt32()));
        Assert.Equal([2L, 3, 4, 5], rounds.Select(r => r.GetProperty("model_version").GetInt64()));
        Assert.Equal(afterRound2, ProcessFederation.Hash(ProcessFederation.ModelFile(_dir, 3)));
    }
}
