using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Transport;
using PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Services;

/// <summary>
/// Reads what a client says about its training from its update's header. Those numbers go into the round's
/// metrics and summary.json, so each is checked: a NaN or a negative time is a malformed update, not a statistic.
/// </summary>
internal static class TrainingReports
{
    /// <summary>
    /// The longest training a client may report: a year. Modeled links turn the time into a <see cref="TimeSpan"/>, which
    /// a time near <see cref="double.MaxValue"/> overflowed (the admission threw), and the round's means add the times.
    /// </summary>
    public static readonly double MaxTrainSeconds = TimeSpan.FromDays(365).TotalSeconds;

    /// <summary>Checks the header's figures, before any payload is read.</summary>
    public static void Check(UpdateHeader header)
    {
        Require(header.TrainLoss, "train_loss");
        Require(header.TrainSeconds, "train_seconds");
        if (header.TrainSeconds > MaxTrainSeconds)
            throw new InvalidDataException($"train_seconds must be at most {MaxTrainSeconds} (a year), got {header.TrainSeconds}");
        RequireNotNegative(header.PeakMemoryBytes, "peak_memory_bytes");
        RequireNotNegative(header.ProcessPeakMemoryBytes, "process_peak_memory_bytes");
    }

    /// <summary>The report of a header that passed <see cref="Check"/>, with its task's bytes at the socket.</summary>
    public static TrainingReport From(UpdateHeader header, TrafficSnapshot traffic, double updateNorm) =>
        new(header.TrainLoss, header.TrainSeconds, header.PeakMemoryBytes, traffic.Received, traffic.Sent, updateNorm, header.ProcessPeakMemoryBytes);

    private static void Require(double value, string field)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new InvalidDataException($"{field} must be a finite, non-negative number, got {value}");
    }

    private static void RequireNotNegative(long bytes, string field)
    {
        if (bytes < 0) throw new InvalidDataException($"{field} must not be negative, got {bytes}");
    }
}
