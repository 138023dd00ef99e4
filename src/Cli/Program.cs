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
    ExportCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
