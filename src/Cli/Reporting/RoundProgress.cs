using PoolCompress.Contracts;
using PoolCompress.Reporting;
using PoolCompress.Simulation;

namespace PoolCompress.Cli.Reporting;

/// <summary>
/// A header, then one line per completed round: round, test accuracy and loss, the clients' federated accuracy, bytes
/// up/down, seconds, and epsilon under differential privacy; "-" for what was not measured (no test set, no federated
/// evaluation that round).
/// </summary>
internal sealed class RoundProgress(TextWriter output) : IFederationObserver
{
    public void Started(ModelSummary model, FederationSettings settings, int trainSamples, string dataSource)
    {
        output.WriteLine($"model {model.Name}{(model.HeadPool is null ? "" : $" head-pool {model.HeadPool}")}: " +
            $"{model.Parameters:N0} parameters (body {model.Parameters - model.HeadParameters:N0}, head {model.HeadParameters:N0})");
        output.WriteLine($"federation {settings.Clients} clients, {settings.Rounds} rounds, fraction {settings.Fraction}, " +
            $"E={settings.LocalEpochs}, B={settings.BatchSize}, lr={settings.LearningRate}, partition {settings.Partition}, " +
            $"codec {settings.Codec}, seed {settings.Seed}");
        output.WriteLine($"data {dataSource}{(trainSamples > 0 ? $", {trainSamples:N0} training samples" : "")}");
        output.WriteLine($"{"round",5} {"accuracy",9} {"loss",8} {"fed. acc",9} {"clients",7} {"uplink",12} {"downlink",12} {"seconds",8}");
    }

    public void RoundCompleted(RoundMetrics r) =>
        output.WriteLine($"{r.Round,5} {Measured(r.TestAccuracy, "P2"),9} {Measured(r.TestLoss, "F4"),8} {Measured(r.FederatedEval?.Accuracy ?? double.NaN, "P2"),9} " +
            $"{r.Participants,7} {Bytes(r.UplinkBytes),12} {Bytes(r.DownlinkBytes),12} {r.WallSeconds,8:F1}{Epsilon(r)}");

    private static string Measured(double value, string format) => double.IsNaN(value) ? "-" : value.ToString(format, System.Globalization.CultureInfo.CurrentCulture);

    public void Finished(RunSummary summary, string outDir)
    {
        var federated = summary.Rounds.LastOrDefault(r => r.FederatedEval is not null)?.FederatedEval;
        output.WriteLine($"final accuracy {Measured(summary.FinalAccuracy, "P2")}" +
            (federated is null ? "" : $" (federated {federated.Accuracy:P2} over {federated.Examples:N0} validation samples of {federated.Clients} clients)") +
            $", uplink {Bytes(summary.UplinkBytesTotal)} " +
            $"(x{summary.UplinkRatio:F1} vs this model's updates as float32), downlink {Bytes(summary.DownlinkBytesTotal)} " +
            $"(x{summary.DownlinkRatio:F1} vs the whole model to each selected client), {summary.WallSeconds:F1} s" +
            (summary.Rounds.Count > 0 && summary.Rounds[^1].DpEpsilon is { } epsilon ? $", differential privacy epsilon {epsilon:F2} at delta {summary.Config.DpDelta:G3}" : ""));
        output.WriteLine(Path.GetFullPath(Path.Combine(outDir, RunFiles.SummaryFile)));
    }

    private static string Epsilon(RoundMetrics r) => r.DpEpsilon is { } epsilon ? $" epsilon {epsilon:F2}" : "";

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F2} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F2} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:F1} KiB",
        _ => $"{bytes} B",
    };
}
