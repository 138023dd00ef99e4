using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace PoolCompress.Federation.Tests;

/// <summary>
/// A federation of real processes on synthetic digits: one coordinator (grain state in its own Redis, model versions
/// in DIR/models, results in DIR) and three clients. Optionally the coordinator is SIGKILLed once it has finished a
/// round and started again on the same storage; the clients reconnect by themselves.
/// </summary>
internal static class ProcessFederation
{
    private static readonly TimeSpan Patience = TestCoordinator.Patience;
    private static readonly string[] Shared = ["--dataset", "synthetic", "--clients", "3", "--seed", "13"];

    /// <param name="whileDown">Runs after the kill, before the restart.</param>
    public static async Task RunAsync(string dir, string[] coordinatorOptions, int? killAfterRound = null, Action? whileDown = null)
    {
        using var redis = await RedisServer.StartAsync();
        int port = TestCoordinator.FreePort();
        string[] coordinatorArgs = ["coordinator", .. Shared, .. coordinatorOptions, "--port", port.ToString(), "--model-store", Path.Combine(dir, "models"),
            "--silo-port", TestCoordinator.FreePort().ToString(), "--gateway-port", TestCoordinator.FreePort().ToString(), "--out", dir];
        var environment = new Dictionary<string, string>
        {
            ["POOLCOMPRESS_Coordinator__Storage"] = "redis",
            ["POOLCOMPRESS_Coordinator__Redis"] = redis.ConnectionString,
        };

        var clients = new List<Task<CliProcess.Result>>();
        var coordinator = CliProcess.Start(environment, coordinatorArgs);
        if (killAfterRound is { } round)
        {
            try
            {
                clients.AddRange(StartClients(port));
                await WaitForRound(coordinator, round);
            }
            finally
            {
                coordinator.Kill(); // SIGKILL: no shutdown code runs
                await coordinator.WaitForExitAsync();
                coordinator.Dispose();
            }
            whileDown?.Invoke();
            coordinator = CliProcess.Start(environment, coordinatorArgs);
        }
        else
        {
            clients.AddRange(StartClients(port));
        }
        using (coordinator)
        {
            var finished = await CliProcess.CompleteAsync(coordinator, Patience);
            var clientResults = await Task.WhenAll(clients);
            Assert.True(finished.ExitCode == 0, finished.Stderr + finished.Stdout);
            Assert.All(clientResults, r => Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout));
        }
    }

    public static string ModelFile(string dir, long version) => Path.Combine(dir, "models", "default", $"model-{version:D6}.f32");

    public static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static IEnumerable<Task<CliProcess.Result>> StartClients(int port) =>
        Enumerable.Range(0, 3).Select(i =>
            CliProcess.RunAsync(Patience, ["client", .. Shared, "--coordinator", $"http://127.0.0.1:{port}", "--client-index", i.ToString()]));

    private static async Task WaitForRound(Process coordinator, int round)
    {
        using var cancel = new CancellationTokenSource(Patience);
        var line = new Regex($@"^\s+{round}\s+\d");
        while (await coordinator.StandardOutput.ReadLineAsync(cancel.Token) is { } text)
            if (line.IsMatch(text)) return;
        throw new InvalidOperationException($"the coordinator exited before round {round}: {await coordinator.StandardError.ReadToEndAsync()}");
    }
}
