using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using PoolCompress.Contracts;

namespace PoolCompress.Reporting;

/// <summary>Writes and reads DIR/summary.json and DIR/rounds.csv, the files other tools read; their field names are a contract.</summary>
public static class RunFiles
{
    public const string SummaryFile = "summary.json";
    public const string RoundsFile = "rounds.csv";

    /// <summary>Shared with the study files so every file the tools write spells its fields the same way.</summary>
    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        // A diverged model's NaN or infinite loss is a result to report, not a reason to lose the run's files.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private static readonly string[] Columns =
    [
        "round", "test_accuracy", "test_loss", "macro_f1", "participants", "selected", "rejected",
        "uplink_bytes", "downlink_bytes", "wall_seconds", "aggregation_seconds", "mean_train_loss", "model_version", "rejected_bytes", "clipped", "clip_bound", "dp_epsilon",
        "test_auc", "federated_accuracy", "federated_loss", "federated_macro_f1", "federated_auc", "federated_examples", "federated_clients",
        "accuracy_by_model",
    ];

    public static void Write(string directory, RunSummary summary)
    {
        Directory.CreateDirectory(directory);
        WriteSummary(directory, summary);
        var csv = new StringBuilder().AppendLine(string.Join(',', Columns));
        foreach (var r in summary.Rounds)
        {
            csv.AppendLine(string.Join(',',
                Num(r.Round), Num(r.TestAccuracy), Num(r.TestLoss), Num(r.MacroF1), Num(r.Participants), Num(r.Selected),
                Num(r.Rejected), Num(r.UplinkBytes), Num(r.DownlinkBytes), Num(r.WallSeconds), Num(r.AggregationSeconds),
                Num(r.MeanTrainLoss), Num(r.ModelVersion), Num(r.RejectedBytes), Num(r.Clipped), Num(r.ClipBound), Num(r.DpEpsilon), Num(r.TestAuc),
                Num(r.FederatedEval?.Accuracy), Num(r.FederatedEval?.Loss), Num(r.FederatedEval?.MacroF1), Num(r.FederatedEval?.Auc),
                Num(r.FederatedEval?.Examples), Num(r.FederatedEval?.Clients), string.Join(';', r.FederatedEval?.ByModel ?? [])));
        }
        WriteAtomically(Path.Combine(directory, RoundsFile), csv.ToString());
    }

    /// <summary>Rewrites summary.json alone, e.g. with figures that need other runs (a study's reference).</summary>
    public static void WriteSummary(string directory, RunSummary summary) =>
        WriteAtomically(Path.Combine(directory, SummaryFile), JsonSerializer.Serialize(summary, Json));

    public static RunSummary Read(string directory) =>
        JsonSerializer.Deserialize<RunSummary>(File.ReadAllText(Path.Combine(directory, SummaryFile)), Json)
        ?? throw new InvalidDataException($"{Path.Combine(directory, SummaryFile)} is empty");

    private static string Num<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    /// <summary>An empty cell for a figure that was not measured (no federated evaluation that round, an undefined AUC).</summary>
    private static string Num<T>(T? value) where T : struct, IFormattable => value is { } v ? Num(v) : "";

    internal static void WriteAtomically(string path, string text)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
