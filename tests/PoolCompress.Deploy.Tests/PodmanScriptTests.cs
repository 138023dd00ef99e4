namespace PoolCompress.Deploy.Tests;

/// <summary>deploy/podman/multi-site.sh: syntax and interface, checked everywhere (no podman needed to refuse bad options).</summary>
public sealed class PodmanScriptTests
{
    private static string Script => Path.Combine(RepoPaths.Deploy, "podman", "multi-site.sh");

    [Fact]
    public void The_script_parses_with_bash_n()
    {
        var result = ExternalProcess.Run("bash", ["-n", Script]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void Help_exits_0_and_documents_options_caches_and_exit_codes()
    {
        var result = ExternalProcess.Run("bash", [Script, "--help"]);

        Assert.Equal(0, result.ExitCode);
        foreach (string text in new[] { "--clients", "--rounds", "--victim", "--subnet", "--data-dir", "--mirror", "--build-only", "--keep",
                     "MULTI_SITE_CLIENTS", "PODMAN_RUNTIME", "debootstrap", "Exit codes" })
            Assert.Contains(text, result.StandardOutput);
    }

    [Theory]
    [InlineData("--no-such-option")]
    [InlineData("--clients", "0")]
    [InlineData("--rounds", "1")]
    [InlineData("--victim", "2")]
    [InlineData("--silos", "1", "--victim", "0")]
    [InlineData("--subnet", "10.89.0.0/16")]
    [InlineData("--dataset", "cifar")]
    [InlineData("--timeout")]
    public void Usage_errors_exit_2_with_one_line_saying_what_is_wrong(params string[] arguments)
    {
        var result = ExternalProcess.Run("bash", [Script, .. arguments]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("multi-site: ", result.StandardError);
    }
}
