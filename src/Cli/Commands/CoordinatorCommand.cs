using System.CommandLine;
using PoolCompress.Cli.Reporting;
using PoolCompress.Reporting;
using PoolCompress.Simulation;
using PoolCompress.Coordinator;
using PoolCompress.Coordinator.Hosting;

namespace PoolCompress.Cli.Commands;

/// <summary>The coordinator as its own process, for clients started elsewhere (the shape of a real deployment).</summary>
internal static class CoordinatorCommand
{
    private static readonly TimeSpan DoneGrace = TimeSpan.FromSeconds(3);

    public static Command Create()
    {
        var federation = new FederationCliOptions();
        var output = OutputOption.Create();
        var defaults = new CoordinatorOptions();
        var listen = new Option<string>("--listen") { Description = $"Address to listen on (default {defaults.ListenAddress})" };
        var port = new Option<int>("--port") { Description = $"gRPC port, 0 for any free port (default {defaults.Port})" };
        var siloPort = new Option<int>("--silo-port") { Description = $"Orleans silo port (default {defaults.SiloPort})" };
        var gatewayPort = new Option<int>("--gateway-port") { Description = $"Orleans gateway port (default {defaults.GatewayPort})" };
        var token = new Option<string>("--token") { Description = "Federation token clients must present (authorization: Bearer TOKEN)" };
        var modelStore = new Option<string>("--model-store") { Description = "Directory for global model versions (default: in memory)" };
        var command = new Command("coordinator", "Run the coordinator (gRPC endpoint and Orleans silo) until the federation is done");
        foreach (var option in federation.All.Concat([output, listen, port, siloPort, gatewayPort, token, modelStore])) command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => CliFailure.Guard(async () =>
        {
            var configuration = federation.ToConfiguration(parse);
            const string c = CoordinatorOptions.SectionName;
            configuration.Put(parse, listen, $"{c}:{nameof(CoordinatorOptions.ListenAddress)}");
            configuration.Put(parse, port, $"{c}:{nameof(CoordinatorOptions.Port)}");
            configuration.Put(parse, siloPort, $"{c}:{nameof(CoordinatorOptions.SiloPort)}");
            configuration.Put(parse, gatewayPort, $"{c}:{nameof(CoordinatorOptions.GatewayPort)}");
            configuration.Put(parse, token, $"{c}:{nameof(CoordinatorOptions.Token)}");
            configuration.Put(parse, modelStore, $"{c}:{nameof(CoordinatorOptions.ModelStoreDir)}");
            configuration.TryAdd("Logging:LogLevel:Orleans", "Warning");
            configuration.TryAdd("Logging:LogLevel:Microsoft", "Warning");
            return await RunAsync(configuration, OutputOption.Resolve(parse, output, "coordinator"), cancellationToken);
        }));
        return command;
    }

    private static async Task<int> RunAsync(Dictionary<string, string?> configuration, string outDir, CancellationToken cancellationToken)
    {
        await using var run = await CoordinatorRun.StartAsync(configuration, cancellationToken);
        var settings = run.Settings;
        Console.WriteLine($"listening on {run.App.ListeningAddress()}");
        var progress = new RoundProgress(Console.Out);
        progress.Started(run.Model, settings, trainSamples: 0, dataSource: settings.Dataset);
        var status = await run.WaitUntilDoneAsync(progress, cancellationToken);
        var summary = run.Summarize(status, settings.Dataset);
        RunFiles.Write(outDir, summary);
        // Clients long-polling for their next task learn that the federation is done within this grace period.
        await Task.Delay(DoneGrace, cancellationToken);
        progress.Finished(summary, outDir);
        return 0;
    }
}
