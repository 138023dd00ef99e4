using System.Reflection;
using System.Text.Json;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// <c>--plugin-assembly</c> on the real command line: tests/PoolCompress.Plugins.TestStage's <c>scaledsign</c> codec
/// stage and <c>lowest-id</c> strategy run a simulated federation by name, help lists them beside the built-in ones,
/// and an assembly that is none stops the command before it writes anything.
/// </summary>
public sealed class PluginAssemblyCliTests : IDisposable
{
    private static readonly TimeSpan Patience = TestCoordinator.Patience;
    private static readonly string Plugin = typeof(PluginAssemblyCliTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "TestStageAssembly").Value!;
    private readonly string _dir = Directory.CreateTempSubdirectory("poolcompress-plugin-assembly-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_simulation_codes_updates_with_the_plugin_stage_and_selects_clients_by_the_plugin_strategy()
    {
        string run = Path.Combine(_dir, "run");

        var simulated = await CliProcess.RunAsync(Patience, "simulate", "--plugin-assembly", Plugin, "--codec", "topk:0.1>scaledsign",
            "--downlink-codec", "scaledsign", "--strategy", "lowest-id", "--dataset", "synthetic", "--clients", "3", "--rounds", "2",
            "--local-epochs", "1", "--seed", "3", "--out", run);

        Assert.True(simulated.ExitCode == 0, simulated.Stderr);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        var config = summary.RootElement.GetProperty("config");
        Assert.Equal("topk:0.1>scaledsign", config.GetProperty("codec").GetString());
        Assert.Equal("scaledsign", config.GetProperty("downlink_codec").GetString());
        Assert.Equal("lowest-id", config.GetProperty("strategy").GetString());
        var rounds = summary.RootElement.GetProperty("rounds").EnumerateArray().ToList();
        Assert.Equal(2, rounds.Count);
        Assert.All(rounds, r => Assert.Equal((1, 1), (r.GetProperty("selected").GetInt32(), r.GetProperty("participants").GetInt32())));
    }

    [Fact]
    public async Task Help_lists_the_plugin_stage_and_strategy_among_the_registered_names()
    {
        var help = await CliProcess.RunAsync(Patience, "simulate", "--plugin-assembly", Plugin, "--help");

        Assert.Equal(0, help.ExitCode);
        Assert.Matches(@"--codec[^\n]*one of [^\n]*\bscaledsign\b", help.Stdout);
        Assert.Matches(@"--strategy[^\n]*one of [^\n]*\bfedavg\b[^\n]*\blowest-id\b", help.Stdout);
    }

    [Fact]
    public async Task Without_the_plugin_assembly_its_strategy_is_refused_and_help_does_not_list_it()
    {
        var refused = await CliProcess.RunAsync(Patience, "simulate", "--strategy", "lowest-id", "--dataset", "synthetic", "--out", Path.Combine(_dir, "run"));
        var help = await CliProcess.RunAsync(Patience, "simulate", "--help");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("strategy 'lowest-id' is unknown", refused.Stderr);
        Assert.DoesNotContain("lowest-id", help.Stdout);
    }

    [Fact]
    public async Task An_assembly_without_plugins_stops_the_command_with_exit_2_before_anything_is_written()
    {
        string run = Path.Combine(_dir, "run"), contracts = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Plugin)!, "PoolCompress.Contracts.dll"));

        var refused = await CliProcess.RunAsync(Patience, "simulate", "--plugin-assembly", contracts, "--dataset", "synthetic", "--out", run);

        Assert.Equal(2, refused.ExitCode);
        Assert.StartsWith($"error: plug-in assembly '{contracts}' holds no model, codec stage or strategy", refused.Stderr.Trim());
        Assert.False(Directory.Exists(run));
    }
}
