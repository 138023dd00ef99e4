using System.Text.Json;
using PoolCompress.Client;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// The coordinator process is SIGKILLed mid-round, right after an update of round 3 was added to its sum, and
/// started again on the same storage (grain state in Redis, model versions in a directory): the federation goes on
/// from its last completed round and, with a lossy codec whose clients keep error-feedback residuals and a downlink
/// whose steps correct a prediction from the published model's last movement, ends with the very models of an
/// undisturbed run. The client processes reconnect by themselves.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class CrashRecoveryTests : IDisposable
{
    private const int Rounds = 4;
    private const int Clients = 3;
    private static readonly TimeSpan Patience = TestCoordinator.Patience;
    private readonly string _dir = Directory.CreateTempSubdirectory("poolcompress-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_killed_coordinator_resumes_a_lossy_federation_with_the_models_of_an_undisturbed_run()
    {
        using var redis = await RedisServer.StartAsync();
        var undisturbed = await RunAsync("undisturbed", new Dictionary<string, string>(), killInRound: null);
        var resumed = await RunAsync("resumed", new Dictionary<string, string>
        {
            ["POOLCOMPRESS_Coordinator__Storage"] = "redis",
            ["POOLCOMPRESS_Coordinator__Redis"] = redis.ConnectionString,
        }, killInRound: 3);

        Assert.Equal(Enumerable.Range(1, Rounds), resumed.Rounds.Select(r => r.GetProperty("round").GetInt32()));
        Assert.Equal(Enumerable.Range(2, Rounds).Select(v => (long)v), resumed.Rounds.Select(r => r.GetProperty("model_version").GetInt64()));
        Assert.Equal(undisturbed.ModelHashes, resumed.ModelHashes);
        Assert.Equal(undisturbed.Rounds.Select(r => r.GetProperty("test_accuracy").GetDouble()), resumed.Rounds.Select(r => r.GetProperty("test_accuracy").GetDouble()));
        // A resent update is not a second round of training.
        Assert.All(Enumerable.Range(0, Clients), i => Assert.True(resumed.ClientOutput.Contains($"{ClientShards.ClientId(i)}: {Rounds} rounds trained"), resumed.ClientOutput));
    }

    private sealed record Outcome(JsonElement[] Rounds, string[] ModelHashes, string ClientOutput);

    private async Task<Outcome> RunAsync(string name, Dictionary<string, string> environment, int? killInRound)
    {
        string directory = Path.Combine(_dir, name), models = Path.Combine(directory, "models");
        string[] shared = ["--dataset", "synthetic", "--clients", Clients.ToString(), "--seed", "13"];
        string[] siloPorts = ["--silo-port", TestCoordinator.FreePort().ToString(), "--gateway-port", TestCoordinator.FreePort().ToString()];
        string[] CoordinatorArgs(int port) => ["coordinator", .. shared, "--rounds", Rounds.ToString(), "--local-epochs", "1", "--batch-size", "10", "--codec", "topk:0.01>q:4",
            "--downlink-codec", "topk:0.05:global>q:8;predict=0.5", "--port", port.ToString(), "--model-store", models, "--out", directory, .. siloPorts];
        // Says when an update lands in the coordinator's sum: the moment to kill it.
        environment["POOLCOMPRESS_Logging__LogLevel__PoolCompress.Coordinator.Aggregation"] = "Debug";

        var processes = new List<WatchedProcess>();
        string Everything() => string.Join('\n', processes.Select(p => p.Output));
        try
        {
            processes.Add(WatchedProcess.Start($"{name}-coordinator", environment, CoordinatorArgs(0)));
            var address = await processes[0].ListeningAsync();
            var clients = WatchedProcess.Start($"{name}-clients", new Dictionary<string, string>(), ["client", .. shared,
                "--coordinator", address.ToString(), "--client-index", "0", "--virtual-clients", Clients.ToString()]);
            processes.Add(clients);
            if (killInRound is { } round)
            {
                await processes[0].UpdateAddedAsync(round);
                processes[0].Kill(); // SIGKILL: no shutdown code runs
                // On the port the clients know: the one the first coordinator was given.
                processes.Add(WatchedProcess.Start($"{name}-coordinator-restarted", environment, CoordinatorArgs(address.Port)));
            }
            foreach (var process in processes.Where(p => p != processes[0] || killInRound is null))
            {
                int exitCode = await process.WaitForExitAsync(Patience);
                Assert.True(exitCode == 0, $"{process.Name} exited with {exitCode}\n{Everything()}");
            }
            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "summary.json")));
            return new Outcome(summary.RootElement.GetProperty("rounds").EnumerateArray().Select(r => r.Clone()).ToArray(),
                ModelHashes.AfterEachRound(models, Rounds), clients.Output);
        }
        finally
        {
            foreach (var process in processes) process.Dispose();
        }
    }
}
