using System.CommandLine;
using PoolCompress.Cli.Reporting;
using PoolCompress.Contracts;
using PoolCompress.Reporting;
using PoolCompress.Simulation;

namespace PoolCompress.Cli.Commands;

/// <summary>A whole federation in one process over loopback gRPC (see <see cref="SimulatedFederation"/>).</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var federation = new FederationCliOptions();
        var watch = new WatchCliOptions();
        var output = OutputOption.Create();
        var verbose = new Option<bool>("--verbose") { Description = "Show the coordinator's and clients' logs" };
        var attack = new Option<string>("--attack")
        {
            Description = "Malicious clients: NAME[:k=v,...]@I,J,... with attacks signflip:scale=10, random:scale=1, replace:value=0,scale=10 (default: none)",
        };
        var export = ExportCommand.ExportOption();
        var command = new Command("simulate", "Run a coordinator and N gRPC clients in one process over loopback");
        foreach (var option in federation.All.Append(output).Append(verbose).Append(attack).Append(export).Concat(watch.All)) command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => CliFailure.Guard(async () =>
        {
            string outDir = OutputOption.Resolve(parse, output, "simulate");
            var progress = new RoundProgress(Console.Out);
            var configuration = federation.ToConfiguration(parse);
            watch.AddTo(configuration, parse);
            configuration.Put(parse, attack, $"{FederationSettings.SectionName}:{nameof(FederationSettings.Attack)}");
            if (WatchCliOptions.Describe(watch.LoopbackAddress(parse), tokenRequired: false) is { } watching) Console.WriteLine(watching);
            var summary = await SimulatedFederation.RunAsync(configuration, progress, parse.GetValue(verbose), cancellationToken, parse.GetValue(export));
            RunFiles.Write(outDir, summary);
            progress.Finished(summary, outDir);
            if (parse.GetValue(export) is { } exported) ExportCommand.ReportExported(exported);
            return 0;
        }));
        return command;
    }
}
