namespace PoolCompress.Deploy.Tests;

/// <summary>Locations in the repository, found from the test assembly's folder upwards.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PoolCompress.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"PoolCompress.sln not found above {AppContext.BaseDirectory}");
    });

    public static string Root => RootLazy.Value;
    public static string Deploy => Path.Combine(Root, "deploy");
    public static string K8s => Path.Combine(Deploy, "k8s");
    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);
}
