using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PoolCompress.Client;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Hosting;
using PoolCompress.Learning;
using static PoolCompress.Bench.CliProcesses;

namespace PoolCompress.Bench;

/// <summary>
/// Memory of a coordinator over a long federation: an in-process coordinator (gRPC endpoint and Orleans silo, memory
/// storage) runs 500 (or the given number of) tiny rounds of the small cnn (head pool avg:1, 90,506 parameters) for two real gRPC clients with
/// 20 synthetic samples each. Every tenth of the run it prints the managed heap after a full collection, the GC's committed
/// bytes and the process working set (coordinator and both clients). With a codec (second argument), the clients keep
/// error-feedback state and the coordinator decodes compressed updates; a coordinator that keeps nothing per round
/// beyond its small round history shows flat columns.
/// </summary>
internal static class CoordinatorMemory
{
    public const int DefaultRounds = 500;
    private const int Clients = 2;
    private const int SamplesPerClient = 20;

    public static async Task RunAsync(int rounds, string codec = "none")
    {
        int sampleEvery = Math.Max(1, rounds / 10);
        var app = CoordinatorHost.Build(new Dictionary<string, string?>
        {
            ["Federation:Dataset"] = "synthetic",
            ["Federation:HeadPool"] = "avg:1",
            ["Federation:Clients"] = Clients.ToString(),
            ["Federation:Rounds"] = rounds.ToString(),
            ["Federation:Codec"] = codec,
            ["Federation:LocalEpochs"] = "1",
            ["Federation:BatchSize"] = "10",
            ["Federation:Seed"] = "1",
            ["Coordinator:Port"] = "0",
            ["Coordinator:SiloPort"] = FreePort().ToString(),
            ["Coordinator:GatewayPort"] = FreePort().ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
        });
        await app.StartAsync();
        try
        {
            var address = app.ListeningAddress();
            var train = DatasetCatalog.Load("synthetic", null, null).Train;
            var shards = ClientShards.Split(train, "iid", train.Count / SamplesPerClient, seed: 1);
            using var gate = new TrainingGate();
            var clients = Enumerable.Range(0, Clients).Select(i => Task.Run(async () =>
            {
                using var channel = FederationClient.CreateChannel(address);
                var client = new FederationClient(new ClientOptions { Coordinators = [address], ClientId = ClientShards.ClientId(i) },
                    shards[i], gate, NullLogger<FederationClient>.Instance);
                return await client.RunAsync(channel);
            })).ToArray();

            var federation = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IFederationGrain>("default");
            using var self = Process.GetCurrentProcess();
            long started = Stopwatch.GetTimestamp();
            Console.WriteLine($"{rounds} rounds, cnn head-pool avg:1, codec {codec}, {Clients} clients x {SamplesPerClient} samples; process memory (coordinator and clients)");
            Console.WriteLine($"| {"round",5} | {"heap after GC MiB",17} | {"GC committed MiB",16} | {"working set MiB",15} | {"gen2 GCs",8} | {"seconds",7} |");
            Console.WriteLine($"|{new string('-', 7)}|{new string('-', 19)}|{new string('-', 18)}|{new string('-', 17)}|{new string('-', 10)}|{new string('-', 9)}|");
            for (int round = sampleEvery; round <= rounds; round += sampleEvery)
            {
                while ((await federation.GetStatus()).History.Count < round) await Task.Delay(200);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                self.Refresh();
                Console.WriteLine($"| {round,5} | {GC.GetTotalMemory(false) / 1048576.0,17:F1} | {GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0,16:F1} | " +
                    $"{self.WorkingSet64 / 1048576.0,15:F1} | {GC.CollectionCount(2),8} | {Stopwatch.GetElapsedTime(started).TotalSeconds,7:F0} |");
            }
            await Task.WhenAll(clients);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
