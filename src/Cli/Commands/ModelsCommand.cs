using System.CommandLine;
using PoolCompress.Learning;
using Spectre.Console;

namespace PoolCompress.Cli.Commands;

/// <summary>Lists the models and pooled-head variants with their parameter counts, split by body and head.</summary>
internal static class ModelsCommand
{
    private static readonly string?[] HeadPools = [null, "avg:1", "avg:2", "max:2", "l2:2", "mixed:2", "spp:1,2", "avg:4"];

    public static Command Create()
    {
        var command = new Command("models", "List models and pooled heads with parameter counts (body / head)");
        command.SetAction(_ =>
        {
            var table = new Table().AddColumns("model", "head-pool", "parameters", "body", "head", "update size (fp32)");
            foreach (string name in ModelFactory.Models)
            foreach (string? pool in HeadPools)
            {
                using var model = ModelFactory.Create(name, pool, seed: 1);
                table.AddRow(name, pool ?? "-", $"{model.ParameterCount:N0}", $"{model.BodyParameterCount:N0}",
                    $"{model.HeadParameterCount:N0}", $"{model.ParameterCount * 4.0 / (1 << 20):F2} MiB");
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
