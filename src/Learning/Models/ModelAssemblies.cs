using System.Security.Cryptography;
using PoolCompress.Plugins;

namespace PoolCompress.Learning;

/// <summary>
/// Plug-in models: a team's own .NET assembly whose public non-abstract classes implementing
/// <see cref="IModelDefinition"/> (with a public parameterless constructor) join the <see cref="ModelCatalog"/>.
/// Each assembly loads into its own load context, once per process (<see cref="PluginAssembly"/>), where the learning
/// library and TorchSharp are the host's, so <see cref="IModelDefinition"/> and TorchSharp's modules are the host's types
/// and a single native libtorch serves every model.
/// </summary>
public static class ModelAssemblies
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, IReadOnlyList<string>> Loaded = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, ModelAssemblyFile> FilesByModel = new(StringComparer.Ordinal);

    /// <summary>Loads the assembly at <paramref name="path"/> and registers its models; returns their names.</summary>
    /// <exception cref="ModelAssemblyException">The file is missing, not a .NET assembly, holds no model, a model is
    /// broken or its name is taken; the message names the file (and the type).</exception>
    public static IReadOnlyList<string> Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string file = Path.GetFullPath(path);
        lock (Gate)
        {
            if (Loaded.TryGetValue(file, out var loaded)) return loaded;
            var models = ModelTypes(file).Select(type => PluginModel.Create(type, file)).ToList();
            foreach (var model in models)
            {
                var taken = ModelCatalog.All.Concat(models.TakeWhile(m => m != model)).FirstOrDefault(m => m.Name == model.Name);
                if (taken is not null)
                    throw new ModelAssemblyException($"model {model.Source}: its name '{model.Name}' is taken by {(taken is PluginModel other ? other.Source : "the zoo's model of that name")}");
            }
            var origin = new ModelAssemblyFile(path, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))));
            foreach (var model in models)
            {
                ModelCatalog.Register(model);
                FilesByModel[model.Name] = origin;
            }
            return Loaded[file] = [.. models.Select(m => m.Name)];
        }
    }

    /// <summary>The assembly the plug-in model <paramref name="model"/> came from; null for the zoo's models.</summary>
    public static ModelAssemblyFile? FileOf(string model)
    {
        lock (Gate) return FilesByModel.GetValueOrDefault(model);
    }

    private static IReadOnlyList<Type> ModelTypes(string file)
    {
        try
        {
            return PluginAssembly.Types<IModelDefinition>(file, "model");
        }
        catch (PluginAssemblyException e)
        {
            throw new ModelAssemblyException(e.Message, e);
        }
    }
}
