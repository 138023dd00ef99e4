namespace PoolCompress.Deploy.Tests;

/// <summary>
/// A fact that needs what deploy/podman/multi-site.sh needs: Linux, root (debootstrap, rootful podman networks),
/// podman, runc and debootstrap on PATH. Elsewhere it is skipped with the reason; .ci/run installs all three.
/// </summary>
public sealed class PodmanFactAttribute : FactAttribute
{
    public PodmanFactAttribute()
    {
        if (MissingRequirement() is { } reason) Skip = reason;
    }

    private static string? MissingRequirement()
    {
        if (!OperatingSystem.IsLinux()) return "podman containers are run on Linux only";
        if (Environment.UserName != "root") return "deploy/podman/multi-site.sh needs root (debootstrap, rootful podman networks)";
        string[] missing = [.. new[] { "podman", "runc", "debootstrap" }.Where(tool => ExternalProcess.FindOnPath(tool) is null)];
        return missing.Length == 0 ? null : $"{string.Join(", ", missing)} not on PATH (Debian: apt-get install podman runc debootstrap)";
    }
}
