using System.Text.RegularExpressions;

namespace PoolCompress.Deploy.Tests;

/// <summary>deploy/local/multi-silo.sh: syntax, interface and the topology it plans (--dry-run starts nothing).</summary>
public sealed partial class LocalScriptTests
{
    private static string Script => Path.Combine(RepoPaths.Deploy, "local", "multi-silo.sh");

    [Fact]
    public void The_script_parses_with_bash_n()
    {
        var result = ExternalProcess.Run("bash", ["-n", Script]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void Help_exits_0_and_documents_options_environment_and_exit_codes()
    {
        var result = ExternalProcess.Run("bash", [Script, "--help"]);

        Assert.Equal(0, result.ExitCode);
        foreach (string text in new[] { "--clients", "--virtual-clients", "--silos", "--timeout", "--dry-run", "POOLCOMPRESS_BIN", "MULTI_SILO_CLIENTS", "Exit codes" })
            Assert.Contains(text, result.StandardOutput);
    }

    [Theory]
    [InlineData("--no-such-option")]
    [InlineData("--clients", "0")]
    [InlineData("--clients", "many")]
    [InlineData("--timeout")]
    public void Usage_errors_exit_2(params string[] arguments)
    {
        var result = ExternalProcess.Run("bash", [Script, .. arguments]);
        Assert.True(result.ExitCode == 2, result.ToString());
    }

    [Fact]
    public void The_plan_uses_redis_clustering_a_shared_model_store_loopback_and_spreads_clients_over_the_silos()
    {
        var result = ExternalProcess.Run("bash", [Script, "--dry-run", "--clients", "7", "--virtual-clients", "3", "--silos", "2",
            "--port-base", "25080", "--", "--codec", "topk:0.01"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("redis 127.0.0.1:25380", lines[0]);
        var silos = lines.Where(l => l.StartsWith("silo ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, silos.Count);
        foreach (string silo in silos)
        {
            Assert.Contains("POOLCOMPRESS_Coordinator__Clustering=redis", silo);
            Assert.Contains("POOLCOMPRESS_Coordinator__Storage=redis", silo);
            Assert.Contains("POOLCOMPRESS_Coordinator__Redis=127.0.0.1:25380", silo);
            Assert.Contains("--listen 127.0.0.1", silo);
            Assert.Contains("--model-store WORK/models", silo);
            Assert.Contains("--codec topk:0.01", silo);
        }
        Assert.Contains("--port 25080 --silo-port 25180 --gateway-port 25280", silos[0]);
        Assert.Contains("--port 25081 --silo-port 25181 --gateway-port 25281", silos[1]);

        var clients = lines.Where(l => l.StartsWith("client-process ", StringComparison.Ordinal)).ToList();
        var ranges = clients.Select(l => (
            First: int.Parse(ClientIndex().Match(l).Groups[1].Value),
            Count: int.Parse(VirtualClients().Match(l).Groups[1].Value))).ToList();
        Assert.Equal([(0, 3), (3, 3), (6, 1)], ranges);
        // Every client gets every silo, so that it can fail over; client I prefers silo I mod 2, which spreads them.
        Assert.All(clients, l => Assert.Equal("http://127.0.0.1:25080,http://127.0.0.1:25081", Coordinators().Match(l).Groups[1].Value));
    }

    [GeneratedRegex(@"--client-index (\d+)")]
    private static partial Regex ClientIndex();

    [GeneratedRegex(@"--virtual-clients (\d+)")]
    private static partial Regex VirtualClients();

    [GeneratedRegex(@"--coordinator (\S+)")]
    private static partial Regex Coordinators();
}
