using PoolCompress.Compression.Codecs;
using PoolCompress.Coordinator.Strategies;
using PoolCompress.Learning;
using PoolCompress.Plugins;

namespace PoolCompress.Simulation;

/// <summary>
/// A team's assembly bringing any of models (<see cref="IModelDefinition"/>), codec stages
/// (<see cref="ICodecStageDefinition"/>) and strategies (<see cref="IStrategyDefinition"/>), each registered where
/// its name is looked up: <see cref="ModelCatalog"/>, <see cref="CodecStages"/>, <see cref="FederatedStrategies"/>.
/// Here because the command line and studies load them, and this is the project both reach all three registries from.
/// </summary>
public static class PluginAssemblies
{
    private const string Kind = "plug-in";
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, IReadOnlyList<string>> Loaded = new(StringComparer.Ordinal);

    /// <summary>Loads the assembly at <paramref name="path"/> and registers what it brings; returns it as "KIND NAME" lines.</summary>
    /// <exception cref="PluginAssemblyException">The file is missing, not a .NET assembly or holds none of the three;
    /// a plug-in is broken or its name is taken. The message names the file.</exception>
    public static IReadOnlyList<string> Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string file = Path.GetFullPath(path);
        lock (Gate)
        {
            if (Loaded.TryGetValue(file, out var loaded)) return loaded;
            List<string> registered;
            try
            {
                registered = [.. Models(file), .. Stages(file), .. Strategies(file)];
            }
            catch (Exception e) when (e is ModelAssemblyException or ArgumentException)
            {
                throw new PluginAssemblyException(e.Message, e);
            }
            if (registered.Count == 0)
                throw new PluginAssemblyException($"{Kind} assembly '{file}' holds no model, codec stage or strategy: no public non-abstract class implementing " +
                    $"{typeof(IModelDefinition).FullName}, {typeof(ICodecStageDefinition).FullName} or {typeof(IStrategyDefinition).FullName} with a public parameterless constructor");
            return Loaded[file] = registered;
        }
    }

    private static IEnumerable<string> Models(string file) =>
        PluginAssembly.Types<IModelDefinition>(file, Kind, required: false).Count > 0 ? ModelAssemblies.Load(file).Select(name => $"model {name}") : [];

    private static List<string> Stages(string file)
    {
        var stages = PluginAssembly.Instances<ICodecStageDefinition>(file, Kind, required: false);
        foreach (var stage in stages) CodecStages.Register(stage);
        return [.. stages.Select(s => $"codec stage {s.Name}")];
    }

    private static List<string> Strategies(string file)
    {
        var strategies = PluginAssembly.Instances<IStrategyDefinition>(file, Kind, required: false);
        foreach (var strategy in strategies) FederatedStrategies.Register(strategy.Name, strategy.Create);
        return [.. strategies.Select(s => $"strategy {s.Name}")];
    }
}
