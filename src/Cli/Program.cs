using System.CommandLine;
using PoolCompress.Cli;
using PoolCompress.Cli.Commands;

using var shutdown = new ShutdownSignal();
var root = new RootCommand("PoolCompress: federated learning with compressed updates, measured at the socket")
{
    SimulateCommand.Create(),
    CoordinatorCommand.Create(shutdown),
    ClientCommand.Create(shutdown),
    StudyCommand.Create(),
    ReportCommand.Create(),
    ModelsCommand.Create(),
    ExportCommand.Create(),
    CertsCommand.Create(),
    MakeSitesCommand.Create(),
};
ModelAssemblyOption.AddTo(root);
var parse = root.Parse(args);
if (ModelAssemblyOption.Load(parse) is { } failed) return failed;
// Signals are handled by ShutdownSignal: commands stop between training batches and save what they hold, where
// System.CommandLine's own handling would end the process after two seconds, under a batch still running in native code.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, shutdown.Token);
