using System.CommandLine;
using PoolCompress.Contracts;
using PoolCompress.Coordinator.Models;

namespace PoolCompress.Cli.Commands;

/// <summary>A global model version from a model store, out as safetensors, a PyTorch state dict and a JSON description.</summary>
internal static class ExportCommand
{
    public static Option<string> ExportOption() =>
        new("--export") { Description = "Write the final global model to PATH.safetensors, PATH.pt (PyTorch state dict) and PATH.json" };

    /// <summary>The line a command prints once it has exported the final model to <paramref name="path"/>.</summary>
    public static void ReportExported(string path) => Console.WriteLine($"model exported to {path}.safetensors, .pt and .json");

    public static Command Create()
    {
        var federation = new FederationCliOptions();
        var store = new Option<string>("--model-store") { Description = "The coordinator's model store directory", Required = true };
        var version = new Option<long>("--version") { Description = "The global model version to export (the round it completed)", Required = true };
        var output = new Option<string>("--out") { Description = "PATH: writes PATH.safetensors, PATH.pt and PATH.json", Required = true };
        var federationId = new Option<string>("--federation-id") { Description = "The federation's id in the store (default: default)" };
        var command = new Command("export", "Export a global model version from a model store (safetensors, PyTorch state dict, JSON)");
        foreach (var option in new Option[] { store, version, output, federationId, federation.Of(FederationOptions.Model), federation.Of(FederationOptions.HeadPool), federation.Of(FederationOptions.Classes), federation.Of(FederationOptions.InputShape) })
            command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => CliFailure.Guard(async () =>
        {
            var defaults = new FederationSettings();
            var settings = defaults with
            {
                FederationId = parse.GetValue(federationId) ?? defaults.FederationId,
                Model = parse.GetValue(federation.Of(FederationOptions.Model)) ?? defaults.Model,
                HeadPool = parse.GetValue(federation.Of(FederationOptions.HeadPool)),
                Classes = parse.GetValue(federation.Of(FederationOptions.Classes)),
                InputShape = parse.GetValue(federation.Of(FederationOptions.InputShape)),
            };
            string directory = parse.GetValue(store)!;
            if (!Directory.Exists(directory)) throw new ArgumentException($"--model-store '{directory}' does not exist");
            long chosen = parse.GetValue(version);
            await ModelExporter.ExportAsync(new DirectoryModelStore(directory), settings, chosen, rounds: checked((int)chosen),
                new Dictionary<string, double>(), parse.GetValue(output)!, cancellationToken);
            Console.WriteLine($"model version {chosen} exported to {parse.GetValue(output)}.safetensors, .pt and .json");
            return 0;
        }));
        return command;
    }
}
