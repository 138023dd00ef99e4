using System.Reflection;
using System.Runtime.Loader;

namespace PoolCompress.Learning;

/// <summary>
/// One plug-in assembly and its own dependencies, resolved from its <c>.deps.json</c>. The learning library and
/// TorchSharp always come from the host, so <see cref="IModelDefinition"/> and TorchSharp's modules are the host's
/// types and a single native libtorch serves every model. Not collectible: TorchSharp modules built from a
/// plug-in live as long as the process.
/// </summary>
internal sealed class ModelAssemblyLoadContext(string path) : AssemblyLoadContext(Path.GetFileName(path), isCollectible: false)
{
    private static readonly string[] Shared = [typeof(IModelDefinition).Assembly.GetName().Name!, typeof(TorchSharp.torch).Assembly.GetName().Name!];

    private readonly AssemblyDependencyResolver _resolver = new(path);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (Shared.Contains(assemblyName.Name, StringComparer.Ordinal)) return null;
        return _resolver.ResolveAssemblyToPath(assemblyName) is { } resolved ? LoadFromAssemblyPath(resolved) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } resolved ? LoadUnmanagedDllFromPath(resolved) : IntPtr.Zero;
}
