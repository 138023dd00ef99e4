using System.Text.Json;
using System.Text.RegularExpressions;

namespace PoolCompress.Deploy.Tests;

/// <summary>
/// deploy/podman/multi-site.sh with its smallest settings: the image built from deploy/docker/Dockerfile on a
/// debootstrapped Debian 12 base, Redis, two coordinator silos and three client containers on a podman network; silo 1
/// is SIGKILLed once it holds an update of round 2, before round 2 can close, and the federation must still finish
/// every round with every client (the check SiloFailoverTests makes with processes). The base and the image are
/// cached under .data/podman.
/// </summary>
public sealed partial class PodmanTopologyTests
{
    private const int Clients = 3;
    private const int Rounds = 3;
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(27);

    private static string Script => Path.Combine(RepoPaths.Deploy, "podman", "multi-site.sh");

    [PodmanFact]
    public void The_federation_finishes_every_round_with_every_client_after_a_silo_container_is_killed()
    {
        // A pooled head keeps the model small (90K parameters instead of 1.7M): the test is about the topology.
        var result = ExternalProcess.Run("bash", [Script, "--clients", Clients.ToString(), "--rounds", Rounds.ToString(),
            "--victim", "1", "--timeout", ((int)Limit.TotalSeconds - 60).ToString(), "--", "--head-pool", "avg:1"], timeout: Limit);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("SIGKILLed silo 1 mid-round 2", result.StandardError);
        string run = RunFolder().Match(result.StandardError).Groups[1].Value.Trim();
        Assert.True(Directory.Exists(run), $"no run folder in the output:\n{result}");

        // The victim was killed with an update of round 2 in its own partial sum, and never finished the federation.
        Assert.Contains(UpdatesAdded(Path.Combine(run, "silo-1", "events.jsonl")), added => added is { Round: 2, Attempt: 0 });
        // Round 2 was still open when it died (the script holds the other clients back until then), so the survivor
        // ran it again.
        Assert.Contains(UpdatesAdded(Path.Combine(run, "silo-0", "events.jsonl")), added => added is { Round: 2, Attempt: > 0 });
        Assert.False(File.Exists(Path.Combine(run, "silo-1", "rounds.csv")), "the killed silo wrote a report");

        // The survivor's report: every round once, each with every client, model versions 2..Rounds+1 in order.
        string[] lines = File.ReadAllLines(Path.Combine(run, "silo-0", "rounds.csv"));
        var header = lines[0].Split(',').ToList();
        var rows = lines.Skip(1).Select(line => line.Split(',')).ToList();
        string Column(string[] row, string name) => row[header.IndexOf(name)];
        Assert.Equal(Enumerable.Range(1, Rounds).Select(r => r.ToString()), rows.Select(row => Column(row, "round")));
        Assert.All(rows, row => Assert.Equal(Clients.ToString(), Column(row, "participants")));
        Assert.Equal(Enumerable.Range(2, Rounds).Select(v => v.ToString()), rows.Select(row => Column(row, "model_version")));
    }

    /// <summary>
    /// The updates a silo's events file (POOLCOMPRESS_EVENTS) says it added to its partial sum; a last line cut short
    /// by the kill is left out.
    /// </summary>
    private static IEnumerable<(int Round, int Attempt)> UpdatesAdded(string events) =>
        File.ReadAllText(events).Split('\n')[..^1]
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.GetProperty("event").GetString() == "log"
                && e.GetProperty("category").GetString() == "PoolCompress.Coordinator.Aggregation.PartialAggregateGrain"
                && e.GetProperty("properties").TryGetProperty("Client", out _))
            .Select(e => (e.GetProperty("properties").GetProperty("Round").GetInt32(), e.GetProperty("properties").GetProperty("Attempt").GetInt32()));

    [GeneratedRegex(@"run folder \(logs/, silo-K/ reports\): (.+)")]
    private static partial Regex RunFolder();
}
