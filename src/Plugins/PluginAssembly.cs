using System.Reflection;

namespace PoolCompress.Plugins;

/// <summary>
/// A team's own .NET assembly that adds to one of the registries (codec stages, strategies): its public non-abstract
/// classes implementing a contract, with a public parameterless constructor, become instances the caller registers.
/// Each file loads into its own <see cref="PluginLoadContext"/>, once per process.
/// </summary>
public static class PluginAssembly
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, Assembly> Loaded = new(StringComparer.Ordinal);

    /// <summary>One instance of each plug-in class in the assembly at <paramref name="path"/> implementing
    /// <typeparamref name="TContract"/>, ordered by type name; <paramref name="kind"/> (e.g. "codec stage") names the
    /// plug-in in messages; <paramref name="required"/>: whether an assembly without one is refused.</summary>
    /// <exception cref="PluginAssemblyException">The file is missing, not a .NET assembly, cannot be loaded or holds no
    /// such class; the message names the file.</exception>
    public static IReadOnlyList<TContract> Instances<TContract>(string path, string kind, bool required = true) where TContract : class =>
        [.. Types<TContract>(path, kind, required).Select(t => (TContract)Activator.CreateInstance(t)!)];

    /// <summary>The plug-in classes themselves, for a registry that checks each before it makes one (models do).</summary>
    /// <exception cref="PluginAssemblyException">As for <see cref="Instances{TContract}"/>.</exception>
    public static IReadOnlyList<Type> Types<TContract>(string path, string kind, bool required = true) where TContract : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var file = Path.GetFullPath(path);
        var types = PluginTypes(Load(file, kind), typeof(TContract), file, kind);
        return types.Count > 0 || !required ? types : throw new PluginAssemblyException(
            $"{kind} assembly '{file}' holds no {kind}: no public non-abstract class implementing {typeof(TContract).FullName} with a public parameterless constructor");
    }

    private static Assembly Load(string file, string kind)
    {
        if (!File.Exists(file)) throw new PluginAssemblyException($"{kind} assembly '{file}' does not exist");
        lock (Gate)
        {
            if (Loaded.TryGetValue(file, out var loaded)) return loaded;
            try
            {
                return Loaded[file] = new PluginLoadContext(file).LoadFromAssemblyPath(file);
            }
            catch (BadImageFormatException)
            {
                throw new PluginAssemblyException($"{kind} assembly '{file}' is not a .NET assembly");
            }
            catch (Exception e) when (e is FileLoadException or InvalidOperationException)
            {
                throw new PluginAssemblyException($"{kind} assembly '{file}' cannot be loaded: {e.Message}", e);
            }
        }
    }

    private static List<Type> PluginTypes(Assembly assembly, Type contract, string file, string kind)
    {
        Type[] exported;
        try
        {
            exported = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or TypeLoadException or FileNotFoundException or FileLoadException)
        {
            throw new PluginAssemblyException($"{kind} assembly '{file}': its types cannot be loaded (built against another {contract.Assembly.GetName().Name} or missing a dependency?): {e.Message}", e);
        }
        return exported
            .Where(t => t is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false } && contract.IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
    }
}
