using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PoolCompress.Federation.Tests;

/// <summary>
/// The coordinator process is SIGKILLed mid-round and started again on the same storage (grain state in Redis,
/// model versions in a directory): the federation goes on from its last completed round with the same global
/// model, and the client processes reconnect by themselves.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private static readonly TimeSpan Patience = TestCoordinator.Patience;
    private readonly string _dir = Directory.CreateTempSubdirectory("poolcompress-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_killed_coordinator_resumes_from_its_last_completed_round()
    {
        using var redis = await RedisServer.StartAsync();
        int port = TestCoordinator.FreePort();
        string models = Path.Combine(_dir, "models");
        string[] shared = ["--dataset", "synthetic", "--clients", "3", "--seed", "13"];
        string[] coordinatorArgs = ["coordinator", .. shared, "--rounds", "4", "--batch-size", "10", "--port", port.ToString(), "--model-store", models,
            "--silo-port", TestCoordinator.FreePort().ToString(), "--gateway-port", TestCoordinator.FreePort().ToString(), "--out", _dir];
        var environment = new Dictionary<string, string>
        {
            ["POOLCOMPRESS_Coordinator__Storage"] = "redis",
            ["POOLCOMPRESS_Coordinator__Redis"] = redis.ConnectionString,
        };

        var clients = new List<Task<CliProcess.Result>>();
        using (var first = CliProcess.Start(environment, coordinatorArgs))
        {
            try
            {
                clients.AddRange(Enumerable.Range(0, 3).Select(i =>
                    CliProcess.RunAsync(Patience, ["client", .. shared, "--coordinator", $"http://127.0.0.1:{port}", "--client-index", i.ToString()])));
                await WaitForRound(first, 2);
            }
            finally
            {
                first.Kill(); // SIGKILL: no shutdown code runs
                await first.WaitForExitAsync();
            }
        }
        string afterRound2 = Hash(Path.Combine(models, "default", "model-000003.f32"));

        using var second = CliProcess.Start(environment, coordinatorArgs);
        var finished = await CliProcess.CompleteAsync(second, Patience);
        var clientResults = await Task.WhenAll(clients);

        Assert.True(finished.ExitCode == 0, finished.Stderr + finished.Stdout);
        Assert.All(clientResults, r => Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "summary.json")));
        var rounds = summary.RootElement.GetProperty("rounds").EnumerateArray().ToArray();
        Assert.Equal([1, 2, 3, 4], rounds.Select(r => r.GetProperty("round").GetInt32()));
        Assert.Equal([2L, 3, 4, 5], rounds.Select(r => r.GetProperty("model_version").GetInt64()));
        Assert.Equal(afterRound2, Hash(Path.Combine(models, "default", "model-000003.f32")));
    }

    private static async Task WaitForRound(Process coordinator, int round)
    {
        using var cancel = new CancellationTokenSource(Patience);
        var line = new Regex($@"^\s+{round}\s+\d");
        while (await coordinator.StandardOutput.ReadLineAsync(cancel.Token) is { } text)
            if (line.IsMatch(text)) return;
        throw new InvalidOperationException($"the coordinator exited before round {round}: {await coordinator.StandardError.ReadToEndAsync()}");
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
