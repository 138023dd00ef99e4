using System.Security.Cryptography;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// A federation of real processes on synthetic digits: one coordinator (grain state in its own Redis, model versions
/// in DIR/models, results in DIR) and one client process hosting three clients (each with its own shard, connection
/// and state, as in three processes, but sharing one TorchSharp thread pool rather than three on two cores).
/// Optionally the coordinator is SIGKILLed once it has finished a round and started again on the same storage; the
/// clients reconnect by themselves.
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

        Task<CliProcess.Result> clients;
        var coordinator = WatchedProcess.Start("coordinator", environment, CoordinatorArgs(0));
        if (killAfterRound is { } round)
        {
            try
            {
                var address = await coordinator.ListeningAsync();
                clients = StartClients(address);
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
            clients = StartClients(await coordinator.ListeningAsync());
        }
        using (coordinator)
        {
            int exitCode = await coordinator.WaitForExitAsync(Patience);
            var clientResult = await clients;
            Assert.True(exitCode == 0, coordinator.Output);
            Assert.True(clientResult.ExitCode == 0, clientResult.Stderr + clientResult.Stdout);
        }
    }

    public static string ModelFile(string dir, long version) => Path.Combine(dir, "models", "default", $"model-{version:D6}.f32");

    public static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static Task<CliProcess.Result> StartClients(Uri coordinator) =>
        CliProcess.RunAsync(Patience, ["client", .. Shared, "--coordinator", coordinator.ToString(), "--client-index", "0", "--virtual-clients", "3"]);
}
