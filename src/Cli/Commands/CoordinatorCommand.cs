using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PoolCompress.Cli.Reporting;
using PoolCompress.Reporting;
using PoolCompress.Simulation;
using PoolCompress.Coordinator;
using PoolCompress.Contracts;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Hosting;

namespace PoolCompress.Cli.Commands;

/// <summary>The coordinator as its own process, for clients started elsewhere (the shape of a real deployment).</summary>
internal static class CoordinatorCommand
{
    public static Command Create(ShutdownSignal shutdown)
    {
        var federation = new FederationCliOptions();
        var watch = new WatchCliOptions();
        var identity = new IdentityCliOptions();
        var uploads = new UploadLimitCliOptions();
        var output = OutputOption.Create();
        var defaults = new CoordinatorOptions();
        var listen = new Option<string>("--listen") { Description = $"Address to listen on (default {defaults.ListenAddress})" };
        var port = new Option<int>("--port") { Description = $"gRPC port, 0 for any free port (default {defaults.Port})" };
        var siloPort = new Option<int>("--silo-port") { Description = $"Orleans silo port (default {defaults.SiloPort}; 0: a free one)" };
        var gatewayPort = new Option<int>("--gateway-port") { Description = $"Orleans gateway port (default {defaults.GatewayPort}; 0: a free one)" };
        var token = new Option<string>("--token") { Description = "Federation token clients must present (authorization: Bearer TOKEN)" };
        var modelStore = new Option<string>("--model-store") { Description = "Directory for global model versions (default: in memory)" };
        var export = ExportCommand.ExportOption();
        var linger = new Option<bool>("--linger") { Description = "Keep serving after the federation is done, until stopped (for Kubernetes)" };
        var command = new Command("coordinator", "Run the coordinator (gRPC endpoint and Orleans silo) until the federation is done");
        foreach (var option in federation.All.Concat([output, listen, port, siloPort, gatewayPort, token, modelStore, linger, export]).Concat(watch.All).Concat(identity.All).Concat(uploads.All)) command.Options.Add(option);
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
            configuration.Put(parse, linger, $"{c}:{nameof(CoordinatorOptions.Linger)}");
            watch.AddTo(configuration, parse);
            identity.AddTo(configuration, parse);
            uploads.AddTo(configuration, parse);
            configuration.TryAdd("Logging:LogLevel:Orleans", "Warning");
            configuration.TryAdd("Logging:LogLevel:Microsoft", "Warning");
            configuration.TryAdd("Logging:LogLevel:Polly", "Warning");
            return await RunAsync(configuration, OutputOption.Resolve(parse, output, "coordinator"), parse.GetValue(export), shutdown, cancellationToken);
        }));
        return command;
    }

    private static async Task<int> RunAsync(Dictionary<string, string?> configuration, string outDir, string? exportPath, ShutdownSignal shutdown, CancellationToken cancellationToken)
    {
        await using var run = await CoordinatorRun.StartAsync(configuration, cancellationToken, EventsFile.AddTo);
        var settings = run.Settings;
        Console.WriteLine($"listening on {run.App.ListeningAddress()}");
        EventsFile.Listening(run.App.ListeningAddress());
        var hostOptions = run.App.Services.GetRequiredService<IOptions<CoordinatorOptions>>().Value;
        if (WatchCliOptions.Describe(run.App.WatchAddress(), !string.IsNullOrEmpty(hostOptions.Token)) is { } watching) Console.WriteLine(watching);
        var progress = new RoundProgress(Console.Out);
        progress.Started(run.Model, settings, trainSamples: 0, dataSource: run.Data.Source);
        FederationStatus status;
        try
        {
            status = await run.WaitUntilDoneAsync(EventsFile.Observing(progress).RoundCompleted, cancellationToken);
        }
        catch (OperationCanceledException) when (shutdown.Received)
        {
            // The federation's state was written when the round in flight started and clients keep their updates
            // until a round is reduced, so a restart on the same storage runs this round again to the same model.
            var stopped = await run.App.Services.GetRequiredService<IGrainFactory>().GetGrain<IFederationGrain>(settings.FederationId).GetStatus();
            RunFiles.Write(outDir, run.SummaryAt(stopped));
            run.App.Services.GetRequiredService<ILoggerFactory>().CreateLogger(nameof(CoordinatorCommand)).LogWarning(
                "stopped by {Signal} in round {Round} after {Completed} completed rounds (written to {Out}); restarted on the same storage, it runs round {Round} again; exit code {Code}",
                shutdown.Name, stopped.Round, stopped.History.Count, outDir, stopped.Round, shutdown.ExitCode);
            return shutdown.ExitCode;
        }
        var summary = run.SummaryAt(status);
        RunFiles.Write(outDir, summary);
        progress.Finished(summary, outDir);
        if (exportPath is not null)
        {
            await run.ExportAsync(status, exportPath, cancellationToken);
            ExportCommand.ReportExported(exportPath);
        }
        // The federation is over and written: a stop from here on ends the process normally. Clients still training
        // or uploading in the last round learn that it is done at their next call, so the coordinator waits for them;
        // a lingering one (a StatefulSet pod, which would otherwise be restarted) serves until stopped.
        try
        {
            if (hostOptions.Linger)
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            else if (!await run.WaitUntilClientsHeardDoneAsync(hostOptions.DoneGrace, cancellationToken))
                Console.Error.WriteLine($"warning: not every client asked for a task within {hostOptions.DoneGrace} after the federation was done; leaving anyway");
        }
        catch (OperationCanceledException)
        {
        }
        return 0;
    }
}
