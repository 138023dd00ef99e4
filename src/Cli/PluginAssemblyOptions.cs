using System.CommandLine;
using PoolCompress.Learning;
using PoolCompress.Plugins;
using PoolCompress.Simulation;

namespace PoolCompress.Cli;

/// <summary>
/// <c>--model-assembly PATH</c> (plug-in models) and <c>--plugin-assembly PATH</c> (models, codec stages and
/// strategies), both repeatable: loaded here, before the command runs, so a bad plug-in stops it before any
/// federation state is written, and the command line is built again with them so that help lists their names.
/// </summary>
internal static class PluginAssemblyOptions
{
    private static readonly string[] ModelCommands = ["simulate", "coordinator", "client", "models", "export"];
    private static readonly string[] PluginCommands = [.. ModelCommands, "study"];

    private static readonly Option<string[]> ModelAssembly = new("--model-assembly")
    {
        Description = "A .NET assembly with plug-in models (public classes implementing PoolCompress.Learning.IModelDefinition); repeatable",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private static readonly Option<string[]> PluginAssembly = new("--plugin-assembly")
    {
        Description = "A .NET assembly with plug-in models, codec stages or strategies (public classes implementing IModelDefinition, " +
            "ICodecStageDefinition or IStrategyDefinition); repeatable",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static void AddTo(RootCommand root)
    {
        foreach (var command in root.Subcommands)
        {
            if (ModelCommands.Contains(command.Name)) command.Options.Add(ModelAssembly);
            if (PluginCommands.Contains(command.Name)) command.Options.Add(PluginAssembly);
        }
    }

    /// <summary>Whether the command line names an assembly to load.</summary>
    public static bool Given(ParseResult parse) => parse.GetResult(ModelAssembly) is not null || parse.GetResult(PluginAssembly) is not null;

    /// <summary>Loads the assemblies the command line names; null when all loaded, else the exit code after one line on stderr.</summary>
    public static int? Load(ParseResult parse)
    {
        if (parse.Errors.Count > 0 || !Given(parse)) return null;
        try
        {
            foreach (string path in parse.GetValue(ModelAssembly) ?? []) ModelAssemblies.Load(path);
            foreach (string path in parse.GetValue(PluginAssembly) ?? []) PluginAssemblies.Load(path);
            return null;
        }
        catch (Exception e) when (e is ModelAssemblyException or PluginAssemblyException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return CliFailure.InvalidConfiguration;
        }
    }
}
