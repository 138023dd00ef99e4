using System.Text.Json;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// One federation over two coordinator silos (separate `coordinator` processes with Redis membership and grain
/// storage, one model-store directory) and one client process whose four clients spread over both silos (client I
/// prefers silo I mod 2). Optionally SIGKILLs a silo mid-round: right after an update of round 2 was added to its
/// partial sum. Silo 0 starts first, so it creates the federation grain. The codec is lossy, so clients keep
/// error-feedback residuals that a rerun round must not disturb.
/// </summary>
internal static class MultiSiloFederation
{
    public const int Clients = 4;
    public const int Rounds = 3;
    private static readonly TimeSpan Patience = TestCoordinator.Patience;

    /// <summary>The surviving silos' view of the finished federation: its rounds (from summary.json), final accuracy and models.</summary>
    public sealed record Outcome(JsonElement[] Rounds, double FinalAccuracy, string[] ModelHashes);

    public static async Task<Outcome> RunAsync(RedisServer redis, string directory, string clusterId, int? victim)
    {
        string[] shared = ["--dataset", "synthetic", "--clients", Clients.ToString(), "--seed", "17"];
        var addresses = new List<Uri>();
        var environment = new Dictionary<string, string>
        {
            ["POOLCOMPRESS_Coordinator__Clustering"] = "redis",
            ["POOLCOMPRESS_Coordinator__Storage"] = "redis",
            ["POOLCOMPRESS_Coordinator__Redis"] = redis.ConnectionString,
            ["POOLCOMPRESS_Coordinator__ClusterId"] = clusterId,
            ["POOLCOMPRESS_Coordinator__ServiceId"] = clusterId,
            // A killed silo is declared dead after two missed one-second probes rather than at Orleans' production pace.
            ["POOLCOMPRESS_Coordinator__Membership__ProbeTimeout"] = "00:00:01",
            ["POOLCOMPRESS_Coordinator__Membership__NumMissedProbesLimit"] = "2",
            // Says when an update lands in a silo's partial sum: the moment to kill that silo.
            ["POOLCOMPRESS_Logging__LogLevel__PoolCompress.Coordinator.Aggregation"] = "Debug",
        };

        var silos = new List<WatchedProcess>();
        WatchedProcess? clients = null;
        string Everything() => string.Join('\n', silos.Append(clients).OfType<WatchedProcess>().Select(p => p.Output));
        try
        {
            for (int k = 0; k < 2; k++)
            {
                // One after the other: the first silo creates the federation grain before the second joins the cluster.
                silos.Add(WatchedProcess.Start($"silo-{k}", environment, ["coordinator", .. shared, "--rounds", Rounds.ToString(),
                    "--local-epochs", "1", "--batch-size", "10", "--codec", "topk:0.01>q:4", "--port", "0",
                    "--silo-port", TestCoordinator.FreePort().ToString(), "--gateway-port", TestCoordinator.FreePort().ToString(),
                    "--model-store", Path.Combine(directory, "models"), "--out", Path.Combine(directory, $"silo-{k}")]));
                addresses.Add(await silos[k].ListeningAsync());
            }
            clients = WatchedProcess.Start("clients", new Dictionary<string, string>(), ["client", .. shared,
                "--coordinator", string.Join(',', addresses), "--client-index", "0",
                "--virtual-clients", Clients.ToString()]);

            if (victim is { } lost)
            {
                await silos[lost].UpdateAddedAsync(round: 2);
                silos[lost].Kill();
            }

            var survivors = silos.Where((_, k) => k != victim).ToList();
            foreach (var process in survivors.Append(clients))
            {
                int exitCode = await process.WaitForExitAsync(Patience);
                Assert.True(exitCode == 0, $"{process.Name} exited with {exitCode}\n{Everything()}");
            }
            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, $"silo-{silos.IndexOf(survivors[0])}", "summary.json")));
            return new Outcome(summary.RootElement.GetProperty("rounds").EnumerateArray().Select(r => r.Clone()).ToArray(),
                summary.RootElement.GetProperty("final_accuracy").GetDouble(), ModelHashes.AfterEachRound(Path.Combine(directory, "models"), Rounds));
        }
        finally
        {
            foreach (var process in silos.Append(clients).OfType<WatchedProcess>()) process.Dispose();
        }
    }
}
