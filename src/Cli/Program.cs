using System.CommandLine;
using PoolCompress.Cli;
using PoolCompress.Cli.Commands;

using var shutdown = new ShutdownSignal();
var parse = Root().Parse(args);
if (PluginAssemblyOptions.Load(parse) is { } failed) return failed;
// Built again with the plug-ins registered: help's lists of models, stages and strategies are read when it is built.
if (PluginAssemblyOptions.Given(parse)) parse = Root().Parse(args);
// Signals are handled by ShutdownSignal: commands stop between training batches and save what they hold, where
// System.CommandLine's own handling would end the process after two seconds, under a batch still running in native code.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, shutdown.Token);

RootCommand Root()
{
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
    PluginAssemblyOptions.AddTo(root);
    return root;
}
