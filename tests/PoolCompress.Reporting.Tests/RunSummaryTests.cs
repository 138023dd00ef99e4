using PoolCompress.Contracts;

namespace PoolCompress.Reporting.Tests;

public sealed class RunSummaryTests
{
    [Fact]
    public void The_downlink_ratio_is_whole_float32_models_for_every_selected_client_over_the_bytes_sent_and_is_written()
    {
        using var folder = new TempFolder();
        RoundMetrics[] rounds =
        [
            RunFixtures.Round(1, 0.5, uplink: 100, wall: 1, modeled: 0, downlink: 1_000) with { Selected = 2 },
            RunFixtures.Round(2, 0.6, uplink: 100, wall: 1, modeled: 0, downlink: 600) with { Selected = 3 },
        ];
        var status = new FederationStatus(FederationPhase.Done, 2, 3, 5, rounds, new FederationSettings(), []);
        var data = new DataSummary("synthetic", "generated", null, ["0", "1"], "20", 10, 0, 10, []);

        var summary = RunSummary.From(status, new ModelSummary("mlp", null, 1_000, 100), 2.0, data);
        RunFiles.Write(folder.Path, summary);

        // (2 + 3) selected clients × 1,000 float32 parameters = 20,000 bytes dense, over 1,600 bytes sent.
        Assert.Equal(12.5, summary.DownlinkRatio);
        Assert.Contains("\"downlink_ratio\": 12.5", File.ReadAllText(Path.Combine(folder.Path, RunFiles.SummaryFile)));
    }
}
