using k8s.Models;

namespace PoolCompress.Deploy.Tests;

/// <summary>What Microsoft.Orleans.Hosting.Kubernetes needs: an identity allowed to see pods, labels and env.</summary>
public sealed class RbacAndOrleansTests
{
    private static readonly string[] PodVerbs = ["get", "list", "watch", "patch", "delete"];

    public static TheoryData<string> Targets => Kustomize.TargetData;

    [Theory]
    [MemberData(nameof(Targets))]
    public void A_RoleBinding_grants_the_StatefulSets_ServiceAccount_access_to_pods(string target)
    {
        var set = Kustomize.Render(target);
        var sts = set.Coordinator;
        string account = sts.Spec.Template.Spec.ServiceAccountName;
        Assert.False(string.IsNullOrEmpty(account), $"{target}: the StatefulSet uses the default ServiceAccount");
        set.Single<V1ServiceAccount>(account);

        var grants = set.All<V1RoleBinding>()
            .Where(b => b.Subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == account && s.NamespaceProperty == sts.Metadata.NamespaceProperty))
            .Select(b => b.RoleRef)
            .Where(r => r.Kind == "Role" && r.ApiGroup == "rbac.authorization.k8s.io")
            .Select(r => set.Single<V1Role>(r.Name))
            .SelectMany(role => role.Rules)
            .Where(rule => rule.ApiGroups.Contains("") && rule.Resources.Contains("pods"))
            .SelectMany(rule => rule.Verbs)
            .ToHashSet();
        foreach (string verb in PodVerbs)
            Assert.True(grants.Contains(verb), $"{target}: ServiceAccount {account} may not {verb} pods");
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Silo_pods_carry_the_Orleans_labels_and_environment(string target)
    {
        var set = Kustomize.Render(target);
        var labels = set.Coordinator.Spec.Template.Metadata.Labels;
        var env = set.CoordinatorContainer.Env.ToDictionary(e => e.Name);

        Assert.False(string.IsNullOrEmpty(labels["orleans/serviceId"]));
        Assert.False(string.IsNullOrEmpty(labels["orleans/clusterId"]));
        AssertField(env, "POD_NAME", "metadata.name");
        AssertField(env, "POD_NAMESPACE", "metadata.namespace");
        AssertField(env, "POD_IP", "status.podIP");
        AssertField(env, "ORLEANS_SERVICE_ID", "metadata.labels['orleans/serviceId']");
        AssertField(env, "ORLEANS_CLUSTER_ID", "metadata.labels['orleans/clusterId']");
        AssertField(env, "POOLCOMPRESS_Coordinator__ServiceId", "metadata.labels['orleans/serviceId']");
        AssertField(env, "POOLCOMPRESS_Coordinator__ClusterId", "metadata.labels['orleans/clusterId']");
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_pod_runs_as_non_root_with_cpu_and_memory_requests_and_limits(string target)
    {
        foreach (var (owner, spec) in Kustomize.Render(target).PodSpecs())
        {
            Assert.True(spec.SecurityContext?.RunAsNonRoot == true, $"{target}: {owner} may run as root");
            foreach (var container in spec.Containers.Concat(spec.InitContainers ?? []))
                foreach (string resource in new[] { "cpu", "memory" })
                {
                    Assert.True(container.Resources?.Requests?.ContainsKey(resource) == true, $"{target}: {owner}/{container.Name} requests no {resource}");
                    Assert.True(container.Resources?.Limits?.ContainsKey(resource) == true, $"{target}: {owner}/{container.Name} has no {resource} limit");
                }
        }
    }

    private static void AssertField(Dictionary<string, V1EnvVar> env, string name, string fieldPath)
    {
        Assert.True(env.TryGetValue(name, out var variable), $"env {name} is missing");
        Assert.Equal(fieldPath, variable.ValueFrom?.FieldRef?.FieldPath);
    }
}
