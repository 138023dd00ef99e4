using System.Collections.Concurrent;

namespace PoolCompress.Deploy.Tests;

/// <summary>Renders deploy/k8s kustomizations with <c>kubectl kustomize</c> (offline), once per target per test run.</summary>
internal static class Kustomize
{
    /// <summary>Set KUBECTL to use a kubectl that is not on PATH.</summary>
    public const string KubectlVariable = "KUBECTL";

    private static readonly ConcurrentDictionary<string, Lazy<ManifestSet>> Rendered = new();

    /// <summary>"base" and every overlays/NAME that has a kustomization.yaml, as paths relative to deploy/k8s.</summary>
    public static IReadOnlyList<string> Targets { get; } = FindTargets();

    public static TheoryData<string> TargetData
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string target in Targets) data.Add(target);
            return data;
        }
    }

    public static ManifestSet Render(string target) =>
        Rendered.GetOrAdd(target, t => new Lazy<ManifestSet>(() => ManifestSet.Parse(t, RenderYaml(t)))).Value;

    public static string RenderYaml(string target)
    {
        string kubectl = Kubectl();
        string dir = Path.Combine(RepoPaths.K8s, target);
        var result = ExternalProcess.Run(kubectl, ["kustomize", dir]);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"kubectl kustomize {dir} failed: {result}");
        return result.StandardOutput;
    }

    private static string Kubectl()
    {
        string? configured = Environment.GetEnvironmentVariable(KubectlVariable);
        if (!string.IsNullOrEmpty(configured))
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"{KubectlVariable}={configured} does not exist");
        return ExternalProcess.FindOnPath("kubectl")
            ?? throw new InvalidOperationException(
                "kubectl is not on PATH, and the deploy/k8s manifests are rendered with `kubectl kustomize`. " +
                "Install it (Debian: apt-get install kubernetes-client) or set KUBECTL to its path.");
    }

    private static string[] FindTargets()
    {
        var targets = new List<string> { "base" };
        string overlays = Path.Combine(RepoPaths.K8s, "overlays");
        if (Directory.Exists(overlays))
            targets.AddRange(Directory.GetDirectories(overlays)
                .Where(d => File.Exists(Path.Combine(d, "kustomization.yaml")))
                .Select(d => $"overlays/{Path.GetFileName(d)}")
                .Order(StringComparer.Ordinal));
        return [.. targets];
    }
}
