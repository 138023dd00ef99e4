namespace PoolCompress.Reporting;

/// <summary>
/// STUDY_DIR/checkpoints.csv: one row per finished run and round it is compared at (each of the study's checkpoints,
/// then its final round), named like runs.csv's columns; its column names are a contract too. Ratio and delta cells
/// are empty while the reference has not run that far.
/// </summary>
public static class CheckpointsCsv
{
    public const string FileName = "checkpoints.csv";

    private static readonly (string Name, Func<RunCheckpoint, object?> Value)[] Columns =
    [
        ("id", c => c.Result.Run.Id),
        ("reference_id", c => c.Result.Run.ReferenceId),
        ("round", c => c.Round),
        ("accuracy", c => c.Accuracy),
        ("accuracy_delta_vs_dense", c => c.AccuracyDeltaVsDense),
        ("uplink_ratio_vs_reference", c => c.VsReference?.Uplink),
        ("downlink_ratio_vs_reference", c => c.VsReference?.Downlink),
        ("traffic_ratio_vs_reference", c => c.VsReference?.Total),
        ("uplink_mb", c => Megabytes.Of(c.UplinkBytes)),
        ("downlink_mb", c => Megabytes.Of(c.DownlinkBytes)),
    ];

    public static IReadOnlyList<string> ColumnNames { get; } = [.. Columns.Select(c => c.Name)];

    public static void Write(string path, StudyResults results) =>
        CsvFile.Write(path, ColumnNames, results.Checkpoints().Select(checkpoint => Columns.Select(column => column.Value(checkpoint))));
}
