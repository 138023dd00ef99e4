using System.Reflection;
using System.Runtime.Loader;

namespace PoolCompress.Plugins;

/// <summary>
/// One plug-in assembly and its own dependencies, resolved from its <c>.deps.json</c>. Every assembly the host ships
/// comes from the host, so a plug-in's contract types (a codec stage's base class, a strategy's interface) are the
/// host's types; only what the host lacks loads from beside the plug-in. Not collectible: registered plug-ins live
/// as long as the process.
/// </summary>
internal sealed class PluginLoadContext(string path) : AssemblyLoadContext(Path.GetFileName(path), isCollectible: false)
{
    private static readonly HashSet<string> HostAssemblies = new(
        ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>(),
        StringComparer.OrdinalIgnoreCase);

    private readonly AssemblyDependencyResolver _resolver = new(path);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is { } name && HostAssemblies.Contains(name)) return null;
        return _resolver.ResolveAssemblyToPath(assemblyName) is { } resolved ? LoadFromAssemblyPath(resolved) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } resolved ? LoadUnmanagedDllFromPath(resolved) : IntPtr.Zero;
}
