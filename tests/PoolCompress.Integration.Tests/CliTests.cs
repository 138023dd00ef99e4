using System.Text.Json;

namespace PoolCompress.Integration.Tests;

public sealed class CliTests : IDisposable
{
    private static readonly TimeSpan Patience = TestCoordinator.Patience;
    private readonly string _dir = Directory.CreateTempSubdirectory("poolcompress-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Simulate_writes_summary_json_and_rounds_csv_with_the_documented_fields()
    {
        var result = await CliProcess.RunAsync(Patience,
            "simulate", "--dataset", "synthetic", "--clients", "3", "--rounds", "2", "--local-epochs", "1", "--seed", "3", "--out", _dir);

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "summary.json")));
        var root = summary.RootElement;
        foreach (string field in new[] { "config", "model", "rounds", "final_accuracy", "uplink_bytes_total", "downlink_bytes_total", "wall_seconds" })
            Assert.True(root.TryGetProperty(field, out _), $"summary.json lacks {field}");
        Assert.Equal("cnn", root.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal(1_663_370, root.GetProperty("model").GetProperty("parameters").GetInt32());
        Assert.True(root.GetProperty("model").GetProperty("head_parameters").GetInt32() > 0);
        Assert.Equal(3, root.GetProperty("config").GetProperty("clients").GetInt32());
        var rounds = root.GetProperty("rounds").EnumerateArray().ToArray();
        Assert.Equal(2, rounds.Length);
        foreach (var round in rounds)
        foreach (string field in new[] { "round", "test_accuracy", "test_loss", "participants", "uplink_bytes", "downlink_bytes", "wall_seconds" })
            Assert.True(round.TryGetProperty(field, out _), $"a round lacks {field}");
        // The coordinator and three clients share simulate's process: one client's peak is a part of that process's
        // (where the peak resident set cannot be reset, the documented fallback reports the process's own).
        foreach (var round in rounds)
        {
            long process = round.GetProperty("process_peak_memory_bytes").GetInt64();
            long client = round.GetProperty("client_peak_memory_bytes").GetInt64();
            if (Client.ClientPeakMemory.IsPerClient) Assert.InRange(client, 1, process - 1);
            else Assert.InRange(client, 1, process);
        }
        Assert.Equal(rounds[^1].GetProperty("test_accuracy").GetDouble(), root.GetProperty("final_accuracy").GetDouble());
        Assert.Equal(rounds.Sum(r => r.GetProperty("uplink_bytes").GetInt64()), root.GetProperty("uplink_bytes_total").GetInt64());

        var data = root.GetProperty("data");
        Assert.Equal("synthetic", data.GetProperty("format").GetString());
        Assert.Equal("1x28x28", data.GetProperty("input_shape").GetString());
        Assert.Equal(Learning.Dataset.DigitClasses, data.GetProperty("class_names").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal((2_000, 0, 500), (data.GetProperty("train").GetInt64(), data.GetProperty("validation").GetInt64(), data.GetProperty("test").GetInt64()));
        var perClient = data.GetProperty("clients").EnumerateArray().ToArray();
        Assert.Equal(3, perClient.Length);
        Assert.Equal(2_000, perClient.Sum(c => c.GetProperty("train").GetInt64()));

        var csv = File.ReadAllLines(Path.Combine(_dir, "rounds.csv"));
        Assert.StartsWith("round,test_accuracy,test_loss,", csv[0]);
        Assert.Equal(3, csv.Length);
    }

    [Theory]
    [InlineData("clients must be at least 1", "--clients", "-1")]
    [InlineData("fraction must be in (0, 1]", "--fraction", "1.5")]
    [InlineData("topk", "--codec", "topk:2")]
    [InlineData("bogus", "--partition", "bogus")]
    [InlineData("does not exist", "--data-dir", "/nonexistent/mnist")]
    [InlineData("resnet", "--model", "resnet")]
    [InlineData("metrics port must be between 1 and 65535", "--metrics-port", "70000")]
    [InlineData("set a metrics port", "--orleans-dashboard")]
    [InlineData("strategy 'fedsgd' is unknown", "--strategy", "fedsgd")]
    [InlineData("b1 must be a number in [0, 1), got '1'", "--strategy", "fedadam:b1=1")]
    [InlineData("unknown parameter 'beta'", "--strategy", "fedavgm:beta=0.9")]
    [InlineData("drop-after-missed must be 0 (never) or more", "--drop-after-missed", "-1")]
    [InlineData("over-select must be in [1, 10]", "--over-select", "0.5")]
    public async Task Bad_options_stop_before_any_round_with_one_clear_line(string expected, params string[] args)
    {
        var result = await CliProcess.RunAsync(Patience, ["simulate", "--dataset", "synthetic", "--out", _dir, .. args]);

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(expected, line);
        Assert.False(File.Exists(Path.Combine(_dir, "summary.json")));
    }

    [Fact]
    public async Task A_malformed_idx_file_is_reported_in_one_line()
    {
        string data = Directory.CreateDirectory(Path.Combine(_dir, "idx")).FullName;
        foreach (string name in new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
            File.WriteAllBytes(Path.Combine(data, name), [0, 0, 8, 3, 0, 0]);

        var result = await CliProcess.RunAsync(Patience, "simulate", "--data-dir", data, "--out", _dir);

        Assert.Equal(3, result.ExitCode);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains("idx", line, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Client_index_out_of_range_is_refused()
    {
        var result = await CliProcess.RunAsync(Patience,
            "client", "--coordinator", "http://127.0.0.1:1", "--client-index", "5", "--clients", "3", "--dataset", "synthetic");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--client-index must be in 0..2", result.Stderr);
    }

    [Fact]
    public async Task A_malformed_coordinator_url_is_refused()
    {
        var result = await CliProcess.RunAsync(Patience,
            "client", "--coordinator", "127.0.0.1:5080", "--client-index", "0", "--clients", "3", "--dataset", "synthetic");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not an http:// or https:// URL", result.Stderr);
    }

    [Fact]
    public async Task Each_bad_url_in_a_coordinator_list_is_refused_on_its_own_line()
    {
        var result = await CliProcess.RunAsync(Patience,
            "client", "--coordinator", "http://127.0.0.1:5080,127.0.0.1:5081,ftp://x", "--client-index", "0", "--clients", "3", "--dataset", "synthetic");

        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("error: --coordinator '127.0.0.1:5081' is not an http:// or https:// URL", lines[0]);
        Assert.StartsWith("error: --coordinator 'ftp://x' is not an http:// or https:// URL", lines[1]);
    }

    [Fact]
    public async Task A_coordinator_process_and_three_client_processes_complete_a_federation()
    {
        string[] shared = ["--dataset", "synthetic", "--clients", "3", "--seed", "11"];
        using var coordinator = WatchedProcess.Start("coordinator", new Dictionary<string, string>(), ["coordinator", .. shared, "--rounds", "2", "--local-epochs", "1", "--port", "0",
            "--silo-port", "0", "--gateway-port", "0", "--out", _dir]);
        var address = await coordinator.ListeningAsync();
        var clients = Enumerable.Range(0, 3)
            .Select(i => CliProcess.RunAsync(Patience, ["client", .. shared, "--coordinator", address.ToString(), "--client-index", i.ToString()]))
            .ToArray();

        var results = await Task.WhenAll(clients);
        int coordinatorExit = await coordinator.WaitForExitAsync(Patience);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout));
        Assert.All(results, r => Assert.Contains("2 rounds trained", r.Stdout));
        Assert.True(coordinatorExit == 0, coordinator.Output);
        Assert.True(File.Exists(Path.Combine(_dir, "summary.json")));
    }
}
