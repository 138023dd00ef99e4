namespace PoolCompress.Reporting;

/// <summary>
/// STUDY_DIR/runs.csv: one row per finished run, for spreadsheets and scripts; its column names are a contract.
/// Cells of the *_to_target columns are empty when the run never reached the target (or the study set none).
/// </summary>
public static class RunsCsv
{
    public const string FileName = "runs.csv";

    private static readonly (string Name, Func<StudyResults, StudyRunResult, object?> Value)[] Columns =
    [
        ("id", (_, r) => r.Run.Id),
        ("reference_id", (_, r) => r.Run.ReferenceId),
        ("model", (_, r) => r.Run.Model),
        ("head_pool", (_, r) => r.Run.HeadPool),
        ("partition", (_, r) => r.Run.Partition),
        ("codec", (_, r) => r.Run.Codec),
        ("seed", (_, r) => r.Run.Seed),
        ("final_round", (_, r) => r.FinalRound),
        ("final_accuracy", (_, r) => r.Summary.FinalAccuracy),
        ("accuracy_delta_vs_dense", (_, r) => r.AccuracyDeltaVsDense),
        ("uplink_mb", (_, r) => Megabytes.Of(r.Summary.UplinkBytesTotal)),
        ("downlink_mb", (_, r) => Megabytes.Of(r.Summary.DownlinkBytesTotal)),
        ("uplink_ratio", (_, r) => r.Summary.UplinkRatio),
        ("wall_seconds", (_, r) => r.Summary.WallSeconds),
        ("modeled_seconds", (_, r) => r.ModeledSeconds),
        ("target_accuracy", (study, _) => study.TargetAccuracy),
        ("rounds_to_target", (_, r) => r.Reach?.Round),
        ("uplink_bytes_to_target", (_, r) => r.Reach?.UplinkBytes),
        ("modeled_seconds_to_target", (_, r) => r.Reach?.ModeledSeconds),
        ("wall_seconds_to_target", (_, r) => r.Reach?.WallSeconds),
        ("downlink_codec", (_, r) => r.Run.DownlinkCodec),
        ("uplink_ratio_vs_reference", (_, r) => r.VsReference?.Uplink),
        ("downlink_ratio_vs_reference", (_, r) => r.VsReference?.Downlink),
        ("downlink_ratio", (_, r) => r.Summary.DownlinkRatio),
        ("traffic_ratio_vs_reference", (_, r) => r.VsReference?.Total),
    ];

    public static IReadOnlyList<string> ColumnNames { get; } = [.. Columns.Select(c => c.Name)];

    public static void Write(string path, StudyResults results) =>
        CsvFile.Write(path, ColumnNames, results.Runs.Select(run => Columns.Select(column => column.Value(results, run))));
}
