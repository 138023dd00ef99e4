using System.CommandLine;
using PoolCompress.Cli.Commands;

var root = new RootCommand("PoolCompress: federated learning with compressed updates, measured at the socket")
{
    SimulateCommand.Create(),
    CoordinatorCommand.Create(),
    ClientCommand.Create(),
    StudyCommand.Create(),
    ReportCommand.Create(),
    ModelsCommand.Create(),
};
// On SIGTERM or SIGINT, commands stop between training batches and save what they hold; System.CommandLine's default
// two seconds could end the process under a batch still running in native code.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(20) });
