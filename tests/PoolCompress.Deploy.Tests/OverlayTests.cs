using k8s.Models;

namespace PoolCompress.Deploy.Tests;

/// <summary>What each overlay is for.</summary>
public sealed class OverlayTests
{
    [Fact]
    public void The_base_runs_one_silo_with_Kubernetes_hosting_and_in_memory_storage()
    {
        var set = Kustomize.Render("base");
        Assert.Equal("kubernetes", set.Value(set.CoordinatorContainer, "POOLCOMPRESS_Coordinator__Clustering"));
        Assert.Equal("memory", set.Value(set.CoordinatorContainer, "POOLCOMPRESS_Coordinator__Storage"));
        Assert.Equal(1, set.Coordinator.Spec.Replicas);
    }

    [Theory]
    [InlineData("overlays/simulated")]
    [InlineData("overlays/simulated-redis")]
    public void The_simulated_overlays_run_100_clients_as_10_pods_of_10(string target)
    {
        var set = Kustomize.Render(target);
        Assert.Equal("100", set.Value(set.CoordinatorContainer, "POOLCOMPRESS_Federation__Clients"));
        Assert.Equal("10", set.Value(set.ClientContainer, "VIRTUAL_CLIENTS_PER_POD"));
        Assert.Equal(10, set.ClientJob.Spec.Completions);
        Assert.Equal(10, set.ClientJob.Spec.Parallelism);
    }

    [Theory]
    [InlineData("overlays/redis")]
    [InlineData("overlays/simulated-redis")]
    public void The_redis_overlays_cluster_and_store_in_a_Redis_they_deploy(string target)
    {
        var set = Kustomize.Render(target);
        var container = set.CoordinatorContainer;
        Assert.Equal("redis", set.Value(container, "POOLCOMPRESS_Coordinator__Clustering"));
        Assert.Equal("redis", set.Value(container, "POOLCOMPRESS_Coordinator__Storage"));
        Assert.True(set.Coordinator.Spec.Replicas >= 2, "the point of shared membership is several silos");

        string[] endpoint = set.Value(container, "POOLCOMPRESS_Coordinator__Redis").Split(',')[0].Split(':');
        var service = set.Single<V1Service>(endpoint[0]);
        var port = Assert.Single(service.Spec.Ports, p => p.Port == int.Parse(endpoint[1]));
        var redis = set.Single<V1Deployment>(endpoint[0]);
        CoordinatorManifestTests.AssertSelects(service.Spec.Selector, redis.Spec.Template.Metadata.Labels, $"Service {service.Metadata.Name}");
        Assert.False(CoordinatorManifestTests.Selects(service.Spec.Selector, set.Coordinator.Spec.Template.Metadata.Labels));
        var redisContainer = Assert.Single(redis.Spec.Template.Spec.Containers);
        Assert.Equal(6379, CoordinatorManifestTests.Port(redisContainer, port.TargetPort.Value));
    }

    [Fact]
    public void Overlays_change_only_what_they_are_for()
    {
        var baseSet = Kustomize.Render("base");
        var redis = Kustomize.Render("overlays/redis");
        var simulated = Kustomize.Render("overlays/simulated");
        var simulatedRedis = Kustomize.Render("overlays/simulated-redis");

        // redis: the base's federation; simulated: the base's hosting; simulated-redis: one from each.
        Assert.Equal(Federation(baseSet), Federation(redis));
        Assert.Equal(Hosting(baseSet), Hosting(simulated));
        Assert.Equal(Federation(simulated), Federation(simulatedRedis));
        Assert.Equal(Hosting(redis), Hosting(simulatedRedis));
        Assert.NotEqual(Federation(baseSet), Federation(simulated));
        Assert.NotEqual(Hosting(baseSet), Hosting(redis));
    }

    private static IDictionary<string, string> Federation(ManifestSet set) => set.Single<V1ConfigMap>(FederationMap(set)).Data;

    private static IDictionary<string, string> Hosting(ManifestSet set) => set.Single<V1ConfigMap>(CoordinatorMap(set)).Data;

    private static string FederationMap(ManifestSet set) => set.ClientContainer.EnvFrom.Single().ConfigMapRef.Name;

    private static string CoordinatorMap(ManifestSet set) =>
        set.CoordinatorContainer.EnvFrom.Select(e => e.ConfigMapRef.Name).Single(n => n != FederationMap(set));
}
