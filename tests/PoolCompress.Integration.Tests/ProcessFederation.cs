using System.Security.Cryptography;

namespace PoolCompress.Integration.Tests;

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
        string[] siloPorts = ["--silo-port", TestCoordinator.FreePort().ToString(), "--gateway-port", TestCoordinator.FreePort().ToString()];
        string[] CoordinatorArgs(int port) => ["coordinator", .. Shared, .. coordinatorOptions, "--port", port.ToString(), "--model-store", Path.Combine(dir, "models"),
            .. siloPorts, "--out", dir];
        var environment = new Dictionary<string, string>
        {
            ["POOLCOMPRESS_Coordinator__Storage"] = "redis",
            ["POOLCOMPRESS_Coordinator__Redis"] = redis.ConnectionString,
        };

        var clients = new List<Task<CliProcess.Result>>();
        var coordinator = WatchedProcess.Start("coordinator", environment, CoordinatorArgs(0));
        if (killAfterRound is { } round)
        {
            try
            {
                var address = await coordinator.ListeningAsync();
                clients.AddRange(StartClients(address));
                await coordinator.RoundCompletedAsync(round);
                coordinator.Kill(); // SIGKILL: no shutdown code runs
                coordinator.Dispose();
                whileDown?.Invoke();
                // On the port the clients know: the one the first coordinator was given.
                coordinator = WatchedProcess.Start("coordinator-restarted", environment, CoordinatorArgs(address.Port));
            }
            catch
            {
                coordinator.Dispose();
                throw;
            }
        }
        else
        {
            clients.AddRange(StartClients(await coordinator.ListeningAsync()));
        }
        using (coordinator)
        {
            int exitCode = await coordinator.WaitForExitAsync(Patience);
            var clientResults = await Task.WhenAll(clients);
            Assert.True(exitCode == 0, coordinator.Output);
            Assert.All(clientResults, r => Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout));
        }
    }

    public static string ModelFile(string dir, long version) => Path.Combine(dir, "models", "default", $"model-{version:D6}.f32");

    public static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static IEnumerable<Task<CliProcess.Result>> StartClients(Uri coordinator) =>
        Enumerable.Range(0, 3).Select(i =>
            CliProcess.RunAsync(Patience, ["client", .. Shared, "--coordinator", coordinator.ToString(), "--client-index", i.ToString()]));
}
