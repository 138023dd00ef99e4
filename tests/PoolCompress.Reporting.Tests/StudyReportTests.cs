using System.Globalization;
using System.Text.RegularExpressions;
using SkiaSharp;

namespace PoolCompress.Reporting.Tests;

public sealed partial class StudyReportTests : IDisposable
{
    private readonly TempFolder _study = new();

    public StudyReportTests() => RunFixtures.WriteStudy(_study.Path);

    public void Dispose() => _study.Dispose();

    [GeneratedRegex("<img [^>]*src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex InlinePng();

    private Dictionary<string, Dictionary<string, string>> ReadRunsCsv(out string[] header)
    {
        string[] lines = File.ReadAllLines(Path.Combine(_study.Path, RunsCsv.FileName));
        string[] columns = header = lines[0].Split(',');
        return lines.Skip(1).Select(line => line.Split(','))
            .ToDictionary(cells => cells[0], cells => columns.Zip(cells).ToDictionary(p => p.First, p => p.Second));
    }

    private static double Number(string cell) => double.Parse(cell, CultureInfo.InvariantCulture);

    [Fact]
    public void Runs_csv_has_one_row_per_finished_run_with_the_contracted_columns()
    {
        StudyReport.Write(_study.Path, targetAccuracy: null);

        var rows = ReadRunsCsv(out string[] header);
        Assert.Equal(
        [
            "id", "reference_id", "model", "head_pool", "partition", "codec", "seed", "final_round", "final_accuracy",
            "accuracy_delta_vs_dense", "uplink_mb", "downlink_mb", "uplink_ratio", "wall_seconds", "modeled_seconds",
            "target_accuracy", "rounds_to_target", "uplink_bytes_to_target", "modeled_seconds_to_target", "wall_seconds_to_target",
            "downlink_codec", "uplink_ratio_vs_reference", "downlink_ratio_vs_reference", "downlink_ratio",
            "traffic_ratio_vs_reference",
        ], header);
        Assert.Equal(RunFixtures.FinishedIds, rows.Keys);
    }

    [Fact]
    public void Ratios_vs_reference_are_the_dense_runs_bytes_over_the_runs_bytes_in_runs_csv_and_summary_json()
    {
        StudyReport.Write(_study.Path, targetAccuracy: null);

        var row = ReadRunsCsv(out _)[RunFixtures.PooledTopKIid];
        string runDir = StudyManifest.RunDirectory(_study.Path, RunFixtures.PooledTopKIid);
        var summary = RunFiles.Read(runDir);
        var dense = RunFiles.Read(StudyManifest.RunDirectory(_study.Path, RunFixtures.DenseIid));
        double uplink = (double)dense.UplinkBytesTotal / summary.UplinkBytesTotal, downlink = (double)dense.DownlinkBytesTotal / summary.DownlinkBytesTotal;
        // 5 rounds x 4 MB over 5 rounds x 20 kB up; 5 x 4 MB over 5 x 1.2 MB down; in total 40 MB over 6.1 MB.
        Assert.Equal((200.0, 20.0 / 6), (uplink, downlink));
        double total = 40.0 / 6.1;
        Assert.Equal(uplink, summary.UplinkRatioVsReference);
        Assert.Equal(downlink, summary.DownlinkRatioVsReference);
        Assert.Equal(total, summary.TrafficRatioVsReference!.Value, 9);
        Assert.Equal(uplink, Number(row["uplink_ratio_vs_reference"]), 9);
        Assert.Equal(downlink, Number(row["downlink_ratio_vs_reference"]), 9);
        Assert.Equal(total, Number(row["traffic_ratio_vs_reference"]), 9);
        string json = File.ReadAllText(Path.Combine(runDir, RunFiles.SummaryFile));
        Assert.Contains("\"uplink_ratio_vs_reference\": 200", json);
        Assert.Contains("\"traffic_ratio_vs_reference\": 6.557", json);
        Assert.Equal(1.0, dense.UplinkRatioVsReference);
        Assert.Equal(1.0, dense.TrafficRatioVsReference);
    }

    [Fact]
    public void Runs_csv_values_match_the_hand_computed_ones()
    {
        StudyReport.Write(_study.Path, targetAccuracy: null);

        var rows = ReadRunsCsv(out _);
        var topK = rows[RunFixtures.TopKIid];
        Assert.Equal((RunFixtures.DenseIid, "cnn", "", "iid", "topk:0.01>q:4", "1", "5"),
            (topK["reference_id"], topK["model"], topK["head_pool"], topK["partition"], topK["codec"], topK["seed"], topK["final_round"]));
        Assert.Equal(0.94, Number(topK["final_accuracy"]), 9);
        Assert.Equal(-0.02, Number(topK["accuracy_delta_vs_dense"]), 9);
        Assert.Equal(0.3, Number(topK["uplink_mb"]), 9);
        Assert.Equal(20.0, Number(topK["downlink_mb"]), 9);
        Assert.Equal(66.7, Number(topK["uplink_ratio"]), 9);
        Assert.Equal(8.0, Number(topK["wall_seconds"]), 9);
        Assert.Equal(20.0, Number(topK["modeled_seconds"]), 9);
        Assert.Equal(0.9, Number(topK["target_accuracy"]), 9);
        Assert.Equal("4", topK["rounds_to_target"]);
        Assert.Equal("240000", topK["uplink_bytes_to_target"]);
        Assert.Equal(16.0, Number(topK["modeled_seconds_to_target"]), 9);
        Assert.Equal(6.4, Number(topK["wall_seconds_to_target"]), 9);

        var pooled = rows[RunFixtures.PooledIid];
        Assert.Equal(("avg:2", "3", "3600000"), (pooled["head_pool"], pooled["rounds_to_target"], pooled["uplink_bytes_to_target"]));
        Assert.Equal(0.0, Number(rows[RunFixtures.DenseIid]["accuracy_delta_vs_dense"]), 9);

        var neverReached = rows[RunFixtures.TopKDirichlet];
        Assert.Equal(("", "", "", ""), (neverReached["rounds_to_target"], neverReached["uplink_bytes_to_target"],
            neverReached["modeled_seconds_to_target"], neverReached["wall_seconds_to_target"]));
    }

    [Fact]
    public void A_target_given_to_the_report_overrides_the_manifests()
    {
        StudyReport.Write(_study.Path, targetAccuracy: 0.8);

        var dense = ReadRunsCsv(out _)[RunFixtures.DenseIid];
        Assert.Equal(("0.8", "1", "4000000"), (dense["target_accuracy"], dense["rounds_to_target"], dense["uplink_bytes_to_target"]));
    }

    [Fact]
    public void Report_html_is_one_self_contained_file_with_the_table_and_inline_png_figures()
    {
        string path = StudyReport.Write(_study.Path, targetAccuracy: null);

        Assert.Equal(Path.Combine(_study.Path, StudyReport.FileName), path);
        string html = File.ReadAllText(path);
        string table = html[html.IndexOf("<table>", StringComparison.Ordinal)..html.IndexOf("</table>", StringComparison.Ordinal)];
        Assert.All(RunFixtures.FinishedIds, id => Assert.Contains($"<code>{id}</code>", table));
        Assert.DoesNotContain(RunFixtures.Unfinished, table);
        Assert.Contains(RunFixtures.Unfinished, html);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<link", html);

        var images = InlinePng().Matches(html).Select(m => Convert.FromBase64String(m.Groups[1].Value)).ToList();
        Assert.True(images.Count >= 4, $"expected at least 4 inline PNG figures, found {images.Count}");
        Assert.All(images, png =>
        {
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4));
            using var bitmap = SKBitmap.Decode(png);
            Assert.NotNull(bitmap);
            Assert.True(bitmap.Width >= 800 && bitmap.Height >= 400, $"figure is only {bitmap.Width}x{bitmap.Height}");
        });
    }

    [Fact]
    public void The_best_run_is_the_one_at_the_target_soonest_in_modeled_time_and_is_highlighted()
    {
        string html = File.ReadAllText(StudyReport.Write(_study.Path, targetAccuracy: null));

        // The pooled head with topk reaches 90% after 4 rounds of 2.5 modeled seconds, sooner than any other run.
        Assert.Matches($"<tr class=\"best\">[^\n]*<code>{RunFixtures.PooledTopKIid}</code>", html);
        Assert.Single(Regex.Matches(html, "<tr class=\"best\">"));
        Assert.Contains("10.0 s", html);
        // Its headline savings are against the dense full-head run: 20 MB over 0.1 MB up, 20 MB over 6 MB down.
        Assert.Contains(System.Net.WebUtility.HtmlEncode("200\u00d7 less than dense"), html);
        Assert.Contains(System.Net.WebUtility.HtmlEncode("3.3\u00d7 less than dense"), html);
        // And in total, both directions: 40 MB over 6.1 MB, in the best-run card and the headline.
        Assert.Contains(System.Net.WebUtility.HtmlEncode("6.6\u00d7 less than dense"), html);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(
            "Best run: 6.6\u00d7 less traffic than dense in total (uplink 200\u00d7, downlink 3.3\u00d7), \u22124.00 pp accuracy"), html);
        Assert.Contains("strategy fedavg", html);
    }

    [Fact]
    public void Checkpoints_csv_has_each_run_at_each_checkpoint_and_at_its_final_round_as_runs_csv_has_it()
    {
        (RunFixtures.Manifest with { Checkpoints = [2, 3] }).Write(_study.Path);
        StudyReport.Write(_study.Path, targetAccuracy: null);

        string[] lines = File.ReadAllLines(Path.Combine(_study.Path, CheckpointsCsv.FileName));
        string[] header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(line => header.Zip(line.Split(',')).ToDictionary(p => p.First, p => p.Second))
            .ToDictionary(row => (row["id"], row["round"]));
        Assert.Equal(
        [
            "id", "reference_id", "round", "accuracy", "accuracy_delta_vs_dense", "uplink_ratio_vs_reference",
            "downlink_ratio_vs_reference", "traffic_ratio_vs_reference", "uplink_mb", "downlink_mb",
        ], header);
        Assert.Equal(RunFixtures.FinishedIds.SelectMany(id => new[] { (id, "2"), (id, "3"), (id, "5") }), rows.Keys);

        // The pooled head with topk after 2 rounds: 0.80 against dense's 0.90; 8 MB over 40 kB up, 8 MB over 2.4 MB down.
        var early = rows[(RunFixtures.PooledTopKIid, "2")];
        Assert.Equal(RunFixtures.DenseIid, early["reference_id"]);
        Assert.Equal((0.80, -0.10), (Number(early["accuracy"]), Math.Round(Number(early["accuracy_delta_vs_dense"]), 9)));
        Assert.Equal(200.0, Number(early["uplink_ratio_vs_reference"]), 9);
        Assert.Equal(8 / 2.4, Number(early["downlink_ratio_vs_reference"]), 9);
        Assert.Equal(16 / 2.44, Number(early["traffic_ratio_vs_reference"]), 9);
        Assert.Equal((0.04, 2.4), (Number(early["uplink_mb"]), Number(early["downlink_mb"])));

        var final = rows[(RunFixtures.PooledTopKIid, "5")];
        var runsRow = ReadRunsCsv(out _)[RunFixtures.PooledTopKIid];
        Assert.Equal(runsRow["final_accuracy"], final["accuracy"]);
        Assert.All(new[] { "accuracy_delta_vs_dense", "uplink_ratio_vs_reference", "downlink_ratio_vs_reference", "traffic_ratio_vs_reference", "uplink_mb", "downlink_mb" },
            column => Assert.Equal(runsRow[column], final[column]));
    }

    [Fact]
    public void Report_html_shows_each_run_at_the_checkpoints_only_when_the_study_lists_some()
    {
        string withoutCheckpoints = File.ReadAllText(StudyReport.Write(_study.Path, targetAccuracy: null));
        (RunFixtures.Manifest with { Checkpoints = [2, 3] }).Write(_study.Path);
        string withCheckpoints = File.ReadAllText(StudyReport.Write(_study.Path, targetAccuracy: null));

        Assert.DoesNotContain("At rounds", withoutCheckpoints);
        int start = withCheckpoints.IndexOf("<h2>At rounds 2, 3 and 5</h2>", StringComparison.Ordinal);
        Assert.True(start >= 0, "no checkpoint section");
        string section = withCheckpoints[start..withCheckpoints.IndexOf("</section>", start, StringComparison.Ordinal)];
        Assert.Equal(RunFixtures.FinishedIds.Count * 3, Regex.Matches(section, "<tr class=").Count);
        // The pooled head with topk after 2 rounds: 80.00%, 10 points below dense, 200x less uplink.
        Assert.Matches($"<code>{RunFixtures.PooledTopKIid}</code></div></td>\\s*<td class=\"num\">2</td><td class=\"num strong\">80.00%</td>"
            + $"<td class=\"num worse\">{System.Net.WebUtility.HtmlEncode("\u221210.00 pp")}</td>\\s*<td class=\"num\">200\u00d7</td>", section);
    }

    [Fact]
    public void Report_html_has_a_deployment_table_against_the_first_dense_run_only_when_runs_were_exported()
    {
        string withoutExports = File.ReadAllText(StudyReport.Write(_study.Path, targetAccuracy: null));
        AddDeployment(RunFixtures.DenseIid, new DeploymentMetrics("float", "TorchSharp", 250_000, 0, 1_000_000, 0.5, 0.9, 3_000, 40_000_000, 0.96, 0.955));
        AddDeployment(RunFixtures.PooledIid,
            new DeploymentMetrics("int8", "TorchSharp", 75_000, 0, 300_000, 0.4, 0.8, 3_500, 20_000_000, 0.945, 0.94),
            new DeploymentMetrics("int8", "ONNX Runtime int8", 75_000, 0, 50_000, 0.05, 0.1, 30_000, null, 0.95, 0.945));

        string report = File.ReadAllText(StudyReport.Write(_study.Path, targetAccuracy: null));

        Assert.DoesNotContain("<h2>Deployment</h2>", withoutExports);
        int start = report.IndexOf("<h2>Deployment</h2>", StringComparison.Ordinal);
        Assert.True(start >= 0, "no deployment section");
        string section = report[start..report.IndexOf("</section>", start, StringComparison.Ordinal)];
        Assert.Equal(3, Regex.Matches(section, "<tr><td class=\"run\">").Count);
        // 1,000,000 / 50,000 bytes, 0.5 / 0.05 ms, 95.00 % - 96.00 %, and the pooled run's 6 MB up and 6 MB down.
        Assert.Matches("<td>int8</td><td>ONNX Runtime int8</td>\\s*<td class=\"num\">75,000</td><td class=\"num\">0.00%</td><td class=\"num\">50,000</td>\\s*<td class=\"num\">20\u00d7</td>"
            + "\\s*<td class=\"num strong\">0.050</td><td class=\"num\">0.100</td>\\s*<td class=\"num\">10\u00d7</td><td class=\"num\">30,000</td>\\s*<td class=\"num\"></td>"
            + $"\\s*<td class=\"num strong\">95.00%</td><td class=\"num\">{System.Net.WebUtility.HtmlEncode("\u22121.00 pp")}</td>\\s*<td class=\"num\">0.9450</td><td class=\"num\">12.00</td></tr>", section);
    }

    private void AddDeployment(string runId, params DeploymentMetrics[] rows)
    {
        string directory = StudyManifest.RunDirectory(_study.Path, runId);
        RunFiles.WriteSummary(directory, RunFiles.Read(directory) with { Deployment = rows });
    }

    [Fact]
    public void A_folder_without_study_json_is_refused_with_a_clear_message()
    {
        using var empty = new TempFolder();

        var error = Assert.Throws<FileNotFoundException>(() => StudyReport.Write(empty.Path, 0.9));

        Assert.Contains("study.json", error.Message);
    }
}
