using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PoolCompress.Client;
using PoolCompress.Client.Attacks;
using PoolCompress.Coordinator;
using PoolCompress.Contracts;
using PoolCompress.Coordinator.Hosting;
using PoolCompress.Learning;
using PoolCompress.Links;
using PoolCompress.Reporting;

namespace PoolCompress.Simulation;

/// <summary>
/// A whole federation in one process: the coordinator host (gRPC endpoint and Orleans silo) and N clients, each
/// a real gRPC client with its own connection over loopback, so bytes are measured at a real socket. Clients named by
/// the federation's attack (<see cref="FederationSettings.Attack"/>) send malicious updates.
/// </summary>
public static class SimulatedFederation
{
    /// <param name="exportPath">When given, the final global model is written there as <c>coordinator --export</c> writes it.</param>
    public static async Task<RunSummary> RunAsync(
        IReadOnlyDictionary<string, string?> configuration, IFederationObserver observer, bool verbose, CancellationToken cancellationToken, string? exportPath = null)
    {
        var settings = new Dictionary<string, string?>(configuration)
        {
            [$"{CoordinatorOptions.SectionName}:{nameof(CoordinatorOptions.Port)}"] = "0",
            [$"{CoordinatorOptions.SectionName}:{nameof(CoordinatorOptions.SiloPort)}"] = "0",
            [$"{CoordinatorOptions.SectionName}:{nameof(CoordinatorOptions.GatewayPort)}"] = "0",
            ["Logging:LogLevel:Default"] = verbose ? "Information" : "Warning",
            ["Logging:LogLevel:Orleans"] = verbose ? "Warning" : "Error",
            ["Logging:LogLevel:Microsoft"] = "Warning",
        };

        await using var run = await CoordinatorRun.StartAsync(settings, cancellationToken);
        var federation = run.Settings;
        var hostOptions = run.App.Services.GetRequiredService<IOptions<CoordinatorOptions>>().Value;
        var data = DatasetCatalog.Load(federation.Dataset, hostOptions.DataDir, hostOptions.DataCache);
        if (data.Train.Count == 0)
            throw new ArgumentException($"dataset {federation.Dataset} has no samples for the simulated clients; it is for a coordinator whose clients bring their own data");
        var attack = string.IsNullOrWhiteSpace(federation.Attack) ? null : ClientAttack.Parse(federation.Attack, federation.Clients);
        var shards = ClientShards.Split(data.Train, federation.Partition, federation.Clients, federation.Seed);
        observer.Started(run.Model, federation, data.Train.Count, data.Source);

        var address = run.App.ListeningAddress();
        var loggers = run.App.Services.GetRequiredService<ILoggerFactory>();
        using var gate = new TrainingGate(teacher: federation.Teacher is { } teacher ? new TeacherFile(teacher, federation.TeacherModel) : null,
            transferData: federation.SharesKnowledge ? federation.TransferData : null);
        // Under federated distillation each client keeps its own network, which only it can score: on the test set here.
        var validation = federation.SharesKnowledge ? data.Test : null;
        var links = federation.LinkMode == LinkMode.Real
            ? LinkAssignment.Parse(federation.Links!, Enumerable.Range(0, federation.Clients).Select(ClientShards.ClientId).ToArray(), federation.Seed)
            : null;
        using var stopClients = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clients = shards.Select((shard, index) => Task.Run(async () =>
        {
            // Under real link emulation each client's own socket is throttled to its link.
            using var channel = FederationClient.CreateChannel(address, links is null ? null : ThrottledConnection.CreateHandler(links.For(index)));
            var client = new FederationClient(
                new ClientOptions { Coordinators = [address], ClientId = ClientShards.ClientId(index) },
                shard, gate, loggers.CreateLogger<FederationClient>(), updateFilter: attack?.For(index), validation: validation);
            return await client.RunAsync(channel, stopClients.Token);
        })).ToArray();

        var federationDone = run.WaitUntilDoneAsync(observer.RoundCompleted, stopClients.Token);
        var clientsDone = Task.WhenAll(clients);
        if (await Task.WhenAny(federationDone, clientsDone) == clientsDone && clientsDone.IsFaulted)
        {
            // A client that fails outright is a bug, not a straggler: stop the run and report it.
            await stopClients.CancelAsync();
            await clientsDone;
        }
        var status = await federationDone;
        await clientsDone;
        if (exportPath is not null) await run.ExportAsync(status, exportPath, cancellationToken);
        return run.SummaryAt(status);
    }
}
