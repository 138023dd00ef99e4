using k8s.Models;

namespace PoolCompress.Deploy.Tests;

/// <summary>The clients' Indexed Job: how many pods, and which clients each one hosts.</summary>
public sealed class ClientJobTests
{
    public static TheoryData<string> Targets => Kustomize.TargetData;

    [Theory]
    [MemberData(nameof(Targets))]
    public void The_Job_is_Indexed_and_its_pods_times_virtual_clients_is_the_client_count(string target)
    {
        var set = Kustomize.Render(target);
        var job = set.ClientJob;
        var container = set.ClientContainer;
        int clients = int.Parse(set.Value(container, "POOLCOMPRESS_Federation__Clients"));
        int perPod = int.Parse(set.Value(container, "VIRTUAL_CLIENTS_PER_POD"));
        int pods = int.Parse(set.Value(container, "CLIENT_PODS"));

        Assert.Equal("Indexed", job.Spec.CompletionMode);
        Assert.Equal(pods, job.Spec.Completions);
        Assert.Equal(pods, job.Spec.Parallelism);
        Assert.True(job.Spec.Completions * perPod == clients,
            $"{target}: {job.Spec.Completions} pods x {perPod} virtual clients != Federation:Clients {clients}");
        // The coordinator reads the same ConfigMap, so it expects exactly these clients.
        Assert.Equal(clients.ToString(), set.Value(set.CoordinatorContainer, "POOLCOMPRESS_Federation__Clients"));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Each_pod_hosts_a_disjoint_range_and_together_they_cover_every_client(string target)
    {
        var set = Kustomize.Render(target);
        int clients = int.Parse(set.Value(set.ClientContainer, "POOLCOMPRESS_Federation__Clients"));
        int pods = set.ClientJob.Spec.Completions!.Value;
        var seen = new int[clients];

        for (int index = 0; index < pods; index++)
        {
            var run = RunClientScript(set, index);
            Assert.True(run.ExitCode == 0, $"{target}: pod {index}: {run}");
            var args = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            int at = Array.IndexOf(args, "poolcompress");
            Assert.True(at >= 0 && args[at + 1] == "client", $"{target}: pod {index} does not run `poolcompress client`: {run}");
            Assert.Equal(clients.ToString(), Option(args, "--clients"));
            Assert.Equal(set.Value(set.ClientContainer, "COORDINATOR_URL"), Option(args, "--coordinator"));
            Assert.Equal("test-token", Option(args, "--token"));
            int first = int.Parse(Option(args, "--client-index"));
            int count = int.Parse(Option(args, "--virtual-clients"));
            Assert.True(count > 0, $"{target}: pod {index} hosts no clients");
            for (int i = first; i < first + count; i++)
            {
                Assert.InRange(i, 0, clients - 1);
                seen[i]++;
            }
        }
        Assert.All(seen, (n, i) => Assert.True(n == 1, $"{target}: client {i} is hosted by {n} pods"));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void A_pod_index_past_the_last_client_fails_loudly(string target)
    {
        var set = Kustomize.Render(target);
        var run = RunClientScript(set, set.ClientJob.Spec.Completions!.Value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("CLIENT_PODS x VIRTUAL_CLIENTS_PER_POD", run.StandardError);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Clients_pass_the_data_options_every_process_must_share(string target)
    {
        var set = Kustomize.Render(target);
        var args = RunClientScript(set, 0).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(set.Value(set.CoordinatorContainer, "POOLCOMPRESS_Federation__Partition"), Option(args, "--partition"));
        Assert.Equal(set.Value(set.CoordinatorContainer, "POOLCOMPRESS_Federation__Seed"), Option(args, "--seed"));
        Assert.Equal(set.Value(set.CoordinatorContainer, "POOLCOMPRESS_Federation__Dataset"), Option(args, "--dataset"));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Client_pods_have_no_Kubernetes_API_token(string target)
    {
        var spec = Kustomize.Render(target).ClientJob.Spec.Template.Spec;
        Assert.False(spec.AutomountServiceAccountToken);
    }

    /// <summary>
    /// Runs the Job container's shell script with /bin/sh and exactly the environment the pod would get (ConfigMap
    /// values, placeholders for downward-API and Secret values, JOB_COMPLETION_INDEX), with a stand-in `poolcompress`
    /// (the image puts /app on PATH) that prints its name and arguments, one per line. `set -u` in the script makes any undefined variable fail.
    /// </summary>
    internal static ProcessResult RunClientScript(ManifestSet set, int completionIndex)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the client pods' script runs under /bin/sh");
        var container = set.ClientContainer;
        Assert.Equal(["/bin/sh", "-c"], container.Command);
        string script = Assert.Single(container.Args);

        string bin = Directory.CreateTempSubdirectory("deploy-tests-").FullName;
        try
        {
            string cli = Path.Combine(bin, "poolcompress");
            File.WriteAllText(cli, "#!/bin/sh\nprintf '%s\\n' poolcompress \"$@\"\n");
            File.SetUnixFileMode(cli, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            var environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["PATH"] = $"{bin}:/usr/bin:/bin",
                ["JOB_COMPLETION_INDEX"] = completionIndex.ToString(),
            };
            foreach (var (name, value) in set.Environment(container)) environment[name] = value ?? Placeholder(container, name);
            return ExternalProcess.Run("/bin/sh", ["-c", script], environment, inheritEnvironment: false, timeout: TimeSpan.FromSeconds(30));
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }

    private static string Placeholder(V1Container container, string name)
    {
        var source = container.Env.Single(e => e.Name == name).ValueFrom;
        return source?.SecretKeyRef is not null ? "test-token" : $"downward-{name}";
    }

    internal static string Option(string[] args, string name)
    {
        int at = Array.IndexOf(args, name);
        Assert.True(at >= 0 && at + 1 < args.Length, $"{name} is missing from: {string.Join(' ', args)}");
        return args[at + 1];
    }
}
