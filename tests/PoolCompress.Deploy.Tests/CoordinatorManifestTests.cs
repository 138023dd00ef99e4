using k8s.Models;

namespace PoolCompress.Deploy.Tests;

/// <summary>The coordinator silos: StatefulSet, its Services, probes, configuration and model store.</summary>
public sealed class CoordinatorManifestTests
{
    private const int GrpcPort = 5080;
    private const int SiloPort = 11111;
    private const int GatewayPort = 30000;
    private const int MetricsPort = 9464;

    public static TheoryData<string> Targets => Kustomize.TargetData;

    [Theory]
    [MemberData(nameof(Targets))]
    public void The_StatefulSet_is_governed_by_an_existing_headless_Service_that_selects_its_pods(string target)
    {
        var set = Kustomize.Render(target);
        var sts = set.Coordinator;
        var headless = set.Single<V1Service>(sts.Spec.ServiceName);

        Assert.Equal("None", headless.Spec.ClusterIP);
        Assert.True(headless.Spec.PublishNotReadyAddresses, "silos must find each other before they are ready");
        AssertSelects(headless.Spec.Selector, sts.Spec.Template.Metadata.Labels, $"{target}: Service {headless.Metadata.Name}");
        AssertSelects(sts.Spec.Selector.MatchLabels, sts.Spec.Template.Metadata.Labels, $"{target}: StatefulSet selector");
        Assert.Contains(headless.Spec.Ports, p => p.Port == SiloPort && p.TargetPort.Value == "silo");
        Assert.Contains(headless.Spec.Ports, p => p.Port == GatewayPort && p.TargetPort.Value == "gateway");
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Container_ports_agree_with_the_coordinator_configuration(string target)
    {
        var set = Kustomize.Render(target);
        var container = set.CoordinatorContainer;

        Assert.Equal(GrpcPort, Port(container, "grpc"));
        Assert.Equal(SiloPort, Port(container, "silo"));
        Assert.Equal(GatewayPort, Port(container, "gateway"));
        Assert.Equal(GrpcPort.ToString(), set.Value(container, "POOLCOMPRESS_Coordinator__Port"));
        Assert.Equal(SiloPort.ToString(), set.Value(container, "POOLCOMPRESS_Coordinator__SiloPort"));
        Assert.Equal(GatewayPort.ToString(), set.Value(container, "POOLCOMPRESS_Coordinator__GatewayPort"));
        // The default (127.0.0.1) would be unreachable for kubelet's probes and the Services.
        Assert.Equal("0.0.0.0", set.Value(container, "POOLCOMPRESS_Coordinator__ListenAddress"));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Probes_are_native_grpc_on_5080_or_with_TLS_http_healthz_on_the_metrics_port(string target)
    {
        var set = Kustomize.Render(target);
        var container = set.CoordinatorContainer;
        // Kubelet's gRPC probes speak cleartext only.
        bool tls = set.Environment(container).ContainsKey("POOLCOMPRESS_Coordinator__Tls__CertificatePath");

        foreach (var (name, probe) in new[] { ("startup", container.StartupProbe), ("readiness", container.ReadinessProbe), ("liveness", container.LivenessProbe) })
        {
            Assert.True(probe is not null, $"{target}: no {name} probe");
            if (tls)
            {
                Assert.True(probe.HttpGet is not null, $"{target}: the {name} probe is not an HTTP probe");
                Assert.Equal("/healthz", probe.HttpGet.Path);
                Assert.Equal(MetricsPort, Port(container, probe.HttpGet.Port.Value));
                Assert.Null(probe.HttpGet.Scheme);
                Assert.Null(probe.Grpc);
            }
            else
            {
                Assert.True(probe.Grpc is not null, $"{target}: the {name} probe is not a grpc probe");
                Assert.Equal(GrpcPort, probe.Grpc.Port);
                Assert.True(string.IsNullOrEmpty(probe.Grpc.Service), $"{name}: the overall server health is probed (service \"\")");
                Assert.Null(probe.HttpGet);
            }
            Assert.Null(probe.TcpSocket);
            Assert.Null(probe.Exec);
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void The_metrics_port_is_a_container_port_that_Prometheus_is_told_to_scrape(string target)
    {
        var set = Kustomize.Render(target);
        var container = set.CoordinatorContainer;
        var annotations = set.Coordinator.Spec.Template.Metadata.Annotations;

        Assert.Equal(MetricsPort.ToString(), set.Value(container, "POOLCOMPRESS_Coordinator__MetricsPort"));
        Assert.Equal(MetricsPort, Port(container, "metrics"));
        Assert.Equal("true", annotations["prometheus.io/scrape"]);
        Assert.Equal(MetricsPort.ToString(), annotations["prometheus.io/port"]);
        Assert.Equal("/metrics", annotations["prometheus.io/path"]);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void The_clients_Service_routes_grpc_to_the_silos_only(string target)
    {
        var set = Kustomize.Render(target);
        var url = new Uri(set.Value(set.ClientContainer, "COORDINATOR_URL"));
        string serviceName = url.Host.Split('.')[0];
        var service = set.Single<V1Service>(serviceName);
        bool tls = set.Environment(set.CoordinatorContainer).ContainsKey("POOLCOMPRESS_Coordinator__Tls__CertificatePath");

        Assert.Equal(tls ? "https" : "http", url.Scheme);
        Assert.NotEqual("None", service.Spec.ClusterIP);
        var port = Assert.Single(service.Spec.Ports, p => p.Port == url.Port);
        Assert.Equal("grpc", port.TargetPort.Value);
        Assert.Equal(tls ? null : "kubernetes.io/h2c", port.AppProtocol);
        AssertSelects(service.Spec.Selector, set.Coordinator.Spec.Template.Metadata.Labels, $"{target}: Service {serviceName}");
        Assert.False(Selects(service.Spec.Selector, set.ClientJob.Spec.Template.Metadata.Labels), "the coordinator Service must not select client pods");
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void The_model_store_is_on_a_volume_claim_template(string target)
    {
        var set = Kustomize.Render(target);
        var sts = set.Coordinator;
        string modelStore = set.Value(set.CoordinatorContainer, "POOLCOMPRESS_Coordinator__ModelStoreDir");

        var mount = set.CoordinatorContainer.VolumeMounts.SingleOrDefault(m => modelStore.StartsWith(m.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal));
        Assert.True(mount is not null, $"{target}: ModelStoreDir {modelStore} is under no volume mount");
        var claim = Assert.Single(sts.Spec.VolumeClaimTemplates, c => c.Metadata.Name == mount.Name);
        Assert.Contains("ReadWriteOnce", claim.Spec.AccessModes);
        Assert.True(claim.Spec.Resources.Requests.ContainsKey("storage"));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Coordinator_args_only_expand_variables_the_container_defines(string target)
    {
        var container = Kustomize.Render(target).CoordinatorContainer;
        var defined = (container.Env ?? []).Select(e => e.Name).ToHashSet();

        Assert.Equal("coordinator", container.Args[0]);
        foreach (string argument in container.Args.Concat(container.Command ?? []))
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(argument, @"\$\(([A-Za-z_][A-Za-z0-9_]*)\)"))
                Assert.True(defined.Contains(m.Groups[1].Value), $"{target}: args use $({m.Groups[1].Value}), which is not in env");
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Several_silos_only_with_shared_membership_and_storage(string target)
    {
        var set = Kustomize.Render(target);
        var container = set.CoordinatorContainer;
        string clustering = set.Value(container, "POOLCOMPRESS_Coordinator__Clustering");
        string storage = set.Value(container, "POOLCOMPRESS_Coordinator__Storage");

        Assert.Contains(clustering, new[] { "localhost", "redis", "kubernetes" });
        Assert.Contains(storage, new[] { "memory", "redis" });
        if (set.Coordinator.Spec.Replicas > 1)
        {
            Assert.Equal("redis", clustering);
            Assert.Equal("redis", storage);
        }
    }

    internal static int Port(V1Container container, string name) =>
        Assert.Single(container.Ports, p => p.Name == name).ContainerPort;

    internal static bool Selects(IDictionary<string, string> selector, IDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value);

    internal static void AssertSelects(IDictionary<string, string> selector, IDictionary<string, string> labels, string what) =>
        Assert.True(Selects(selector, labels),
            $"{what}: selector {{{string.Join(", ", selector)}}} does not match pod labels {{{string.Join(", ", labels)}}}");
}
