using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PoolCompress.Compression;
using PoolCompress.Learning;

namespace PoolCompress.Client;

/// <summary>
/// One client's peak memory, even where clients share a process (<c>simulate</c>, a client process hosting several):
/// the process's resident-set growth while the client trained, read from Linux's peak resident set (VmHWM), which
/// writing 5 to /proc/self/clear_refs resets to the current resident set, plus the arrays the client holds around
/// its training (the global model, its update, its encoder, the update it keeps until acknowledged, its data).
/// With one training slot (<c>simulate</c>) a client trains alone, so the growth is its own. With several, the mark
/// is reset only when no other client is training, so a client's growth also holds what the clients training beside
/// it allocated meanwhile: an upper bound. Without a resettable mark (no /proc), the process's peak is reported.
/// </summary>
public static class ClientPeakMemory
{
    private static int _training;
    private static int _fallbackReported;

    /// <summary>Whether the peak resident set can be reset, so one client's peak is measured rather than its process's.</summary>
    public static bool IsPerClient { get; } = PeakResidentSet.TryReset();

    /// <summary>Runs one client's training and measures how far the process's peak resident set rose above where it began.</summary>
    public static (T Result, long PeakGrowthBytes) WhileTraining<T>(Func<T> training)
    {
        if (!IsPerClient) return (training(), 0);
        if (Interlocked.Increment(ref _training) == 1) PeakResidentSet.TryReset();
        try
        {
            long before = PeakResidentSet.ResidentBytes;
            var result = training();
            return (result, Math.Max(0, PeakResidentSet.PeakBytes - before));
        }
        finally
        {
            Interlocked.Decrement(ref _training);
        }
    }

    /// <summary>The client's peak: its training's growth plus what it holds, or the process's peak without a resettable mark.</summary>
    public static long Of(long trainingGrowthBytes, Dataset shard, int modelLength, UpdateEncoder encoder, int keptUpdateBytes) =>
        IsPerClient
            ? trainingGrowthBytes + 2L * sizeof(float) * modelLength + encoder.MemoryBytes + keptUpdateBytes
              + (long)sizeof(float) * shard.Images.LongLength + shard.Labels.LongLength
            : OfProcess();

    /// <summary>Says once per process when clients report their process's peak because the mark cannot be reset.</summary>
    public static void ReportFallback(ILogger logger)
    {
        if (!IsPerClient && Interlocked.Exchange(ref _fallbackReported, 1) == 0)
            logger.LogWarning("{File} cannot be written here, so client_peak_memory_bytes is this process's peak working set, not one client's", PeakResidentSet.ClearRefs);
    }

    /// <summary>The whole process's peak working set so far.</summary>
    public static long OfProcess()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }
}
