using k8s.Models;

namespace PoolCompress.Deploy.Tests;

/// <summary>The base and every overlay render, and every rendered object matches the Kubernetes schema.</summary>
public sealed class KustomizeRenderTests
{
    public static TheoryData<string> Targets => Kustomize.TargetData;

    [Fact]
    public void There_is_a_base_and_the_simulated_redis_simulated_redis_and_tls_overlays()
    {
        Assert.Equal(["base", "overlays/redis", "overlays/simulated", "overlays/simulated-redis", "overlays/tls"], Kustomize.Targets.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Renders_and_every_object_matches_its_Kubernetes_model(string target)
    {
        var set = Kustomize.Render(target);

        Assert.NotEmpty(set.Objects);
        var kinds = set.Objects.Select(o => o.Kind).ToHashSet();
        foreach (string kind in new[] { "Namespace", "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Service", "StatefulSet", "Job", "PodDisruptionBudget" })
            Assert.Contains(kind, kinds);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_namespaced_object_is_in_the_rendered_namespace(string target)
    {
        var set = Kustomize.Render(target);
        string ns = Assert.Single(set.All<V1Namespace>()).Metadata.Name;

        foreach (var o in set.Objects.Where(o => o is not V1Namespace))
            Assert.True(o.Metadata.NamespaceProperty == ns, $"{target}: {o.Kind}/{o.Metadata.Name} is in namespace '{o.Metadata.NamespaceProperty}', not {ns}");
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Object_names_are_unique_per_kind(string target)
    {
        var set = Kustomize.Render(target);
        var duplicates = set.Objects.GroupBy(o => $"{o.Kind}/{o.Metadata.Name}").Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Strict_validation_rejects_a_misspelled_field()
    {
        const string job = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: typo
            spec:
              completionMod: Indexed
              template:
                spec:
                  containers: []
            """;
        var e = Assert.Throws<InvalidOperationException>(() => ManifestSet.ParseDocument(job, "test"));
        Assert.Contains("completionMod", e.Message);
    }

    [Fact]
    public void Strict_validation_rejects_an_unknown_kind()
    {
        const string unknown = """
            apiVersion: example.com/v1
            kind: Widget
            metadata:
              name: w
            """;
        var e = Assert.Throws<InvalidOperationException>(() => ManifestSet.ParseDocument(unknown, "test"));
        Assert.Contains("no Kubernetes model", e.Message);
    }

    [Fact]
    public void Validation_accepts_a_well_formed_object()
    {
        const string map = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: ok
            data:
              KEY: "1"
            """;
        var parsed = Assert.IsType<V1ConfigMap>(ManifestSet.ParseDocument(map, "test"));
        Assert.Equal("1", parsed.Data["KEY"]);
    }
}
