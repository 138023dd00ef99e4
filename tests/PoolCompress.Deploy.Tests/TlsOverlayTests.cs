using k8s.Models;

namespace PoolCompress.Deploy.Tests;

/// <summary>
/// overlays/tls: every file the coordinator and the clients are told to read for TLS is in the Secret mounted there,
/// under the name <c>certs init|issue</c> gives it, and each client pod presents its own client's certificate.
/// </summary>
public sealed class TlsOverlayTests
{
    private const string Target = "overlays/tls";
    private const string CoordinatorSecret = "poolcompress-coordinator-tls";
    private const string ClientSecret = "poolcompress-client-tls";

    [Fact]
    public void The_coordinator_serves_mutual_TLS_and_its_silos_talk_TLS_from_the_mounted_Secret()
    {
        var set = Kustomize.Render(Target);
        var container = set.CoordinatorContainer;
        var spec = set.Coordinator.Spec.Template.Spec;

        var files = new Dictionary<string, string>
        {
            ["POOLCOMPRESS_Coordinator__Tls__CertificatePath"] = "coordinator.crt",
            ["POOLCOMPRESS_Coordinator__Tls__KeyPath"] = "coordinator.key",
            ["POOLCOMPRESS_Coordinator__Tls__ClientCaPath"] = "ca.crt",
            ["POOLCOMPRESS_Coordinator__Tls__RevocationListPath"] = "revoked.txt",
            ["POOLCOMPRESS_Coordinator__Tls__IssuedListPath"] = "issued.txt",
            ["POOLCOMPRESS_Coordinator__Orleans__Tls__CertificatePath"] = "coordinator.crt",
            ["POOLCOMPRESS_Coordinator__Orleans__Tls__KeyPath"] = "coordinator.key",
            ["POOLCOMPRESS_Coordinator__Orleans__Tls__CaPath"] = "ca.crt",
        };
        foreach (var (variable, file) in files)
        {
            string path = set.Value(container, variable);
            Assert.Equal(file, Path.GetFileName(path));
            Assert.Equal(CoordinatorSecret, SecretMountedAt(spec, container, path));
        }
    }

    [Fact]
    public void The_TLS_Secret_is_mounted_whole_so_that_a_new_revocation_list_reaches_running_silos()
    {
        var set = Kustomize.Render(Target);
        var mount = Assert.Single(set.CoordinatorContainer.VolumeMounts, m => m.Name == "tls");

        Assert.Null(mount.SubPath);
        Assert.True(mount.ReadOnlyProperty);
    }

    [Fact]
    public void Each_client_pod_trusts_the_CA_and_presents_the_certificate_of_the_one_client_it_runs()
    {
        var set = Kustomize.Render(Target);
        var container = set.ClientContainer;
        var spec = set.ClientJob.Spec.Template.Spec;

        Assert.StartsWith("https://", set.Value(container, "COORDINATOR_URL"));
        for (int index = 0; index < set.ClientJob.Spec.Completions; index++)
        {
            var run = ClientJobTests.RunClientScript(set, index);
            Assert.True(run.ExitCode == 0, $"pod {index}: {run}");
            var args = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("1", ClientJobTests.Option(args, "--virtual-clients"));
            string id = $"client-{int.Parse(ClientJobTests.Option(args, "--client-index")):D4}";
            foreach (var (option, file) in new[] { ("--ca", "ca.crt"), ("--client-cert", $"{id}.crt"), ("--client-key", $"{id}.key") })
            {
                string path = ClientJobTests.Option(args, option);
                Assert.Equal(file, Path.GetFileName(path));
                Assert.Equal(ClientSecret, SecretMountedAt(spec, container, path));
            }
        }
    }

    [Fact]
    public void Without_the_overlay_clients_present_no_certificate()
    {
        var args = ClientJobTests.RunClientScript(Kustomize.Render("base"), 0).StandardOutput.Split('\n');

        Assert.DoesNotContain("--client-cert", args);
        Assert.DoesNotContain("--ca", args);
    }

    /// <summary>The Secret whose volume is mounted at the directory holding <paramref name="path"/>.</summary>
    private static string SecretMountedAt(V1PodSpec spec, V1Container container, string path)
    {
        string directory = Path.GetDirectoryName(path)!;
        var mount = container.VolumeMounts.SingleOrDefault(m => m.MountPath.TrimEnd('/') == directory);
        Assert.True(mount is not null, $"{path}: no volume is mounted at {directory}");
        var volume = Assert.Single(spec.Volumes, v => v.Name == mount.Name);
        Assert.True(volume.Secret is not null, $"{path}: volume {volume.Name} is not a Secret");
        return volume.Secret.SecretName;
    }
}
