using System.CommandLine;
using PoolCompress.Learning;

namespace PoolCompress.Cli;

/// <summary>
/// <c>--model-assembly PATH</c> (repeatable) on every command that builds models: the plug-in models are loaded
/// here, before the command runs, so a bad plug-in stops it before any federation state is written.
/// </summary>
internal static class ModelAssemblyOption
{
    private static readonly string[] Commands = ["simulate", "coordinator", "client", "models", "export"];

    private static readonly Option<string[]> Option = new("--model-assembly")
    {
        Description = "A .NET assembly with plug-in models (public classes implementing PoolCompress.Learning.IModelDefinition); repeatable",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static void AddTo(RootCommand root)
    {
        foreach (var command in root.Subcommands.Where(c => Commands.Contains(c.Name))) command.Options.Add(Option);
    }

    /// <summary>Loads the assemblies the command line names; null when all loaded, else the exit code after one line on stderr.</summary>
    public static int? Load(ParseResult parse)
    {
        if (parse.Errors.Count > 0 || parse.GetResult(Option) is null) return null;
        try
        {
            foreach (string path in parse.GetValue(Option) ?? []) ModelAssemblies.Load(path);
            return null;
        }
        catch (ModelAssemblyException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return CliFailure.InvalidConfiguration;
        }
    }
}
