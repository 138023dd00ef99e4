namespace PoolCompress.Contracts;

/// <summary>
/// What one completed round achieved and cost. Byte counts are measured at the coordinator's sockets: every silo's,
/// a lost one's up to its last traffic report, including what a restarted attempt of the round cost.
/// </summary>
[GenerateSerializer, Alias("PoolCompress.RoundMetrics")]
public sealed record RoundMetrics(
    [property: Id(0)] int Round,
    [property: Id(1)] double TestAccuracy,
    [property: Id(2)] double TestLoss,
    [property: Id(3)] int Participants,
    [property: Id(4)] int Selected,
    [property: Id(5)] long UplinkBytes,
    [property: Id(6)] long DownlinkBytes,
    [property: Id(7)] double WallSeconds,
    [property: Id(8)] double MacroF1,
    [property: Id(9)] double MeanTrainLoss,
    [property: Id(10)] long ModelVersion,
    /// <summary>Time spent aggregating: adding updates into the silos' partial sums, then collecting and reducing those.</summary>
    [property: Id(11)] double AggregationSeconds,
    [property: Id(12)] int Rejected,
    [property: Id(13)] IReadOnlyList<double> PerClassRecall,
    /// <summary>Selected clients whose update missed the round's deadline (real or, under link emulation, modeled).</summary>
    [property: Id(14)] int Stragglers,
    /// <summary>The round's duration over the emulated links (slowest participant); 0 without link emulation.</summary>
    [property: Id(15)] double ModeledSeconds,
    [property: Id(16)] double MeanTrainSeconds,
    [property: Id(17)] double MaxTrainSeconds,
    /// <summary>Largest peak memory of one participating client, in bytes: its process's resident growth while it
    /// trained plus the state it holds, so one client's even where clients share a process (see ClientPeakMemory).</summary>
    [property: Id(18)] long ClientPeakMemoryBytes,
    /// <summary>Bytes of refused uploads (malformed, stale, unselected, too slow), counted apart from <see cref="UplinkBytes"/>.</summary>
    [property: Id(19)] long RejectedBytes = 0,
    /// <summary>Updates that arrived longer than the round's clip bound and were scaled down to it.</summary>
    [property: Id(20)] int Clipped = 0,
    /// <summary>Epsilon spent so far at the federation's delta under differential privacy; null without it.</summary>
    [property: Id(21)] double? DpEpsilon = null,
    /// <summary>The test set's macro one-vs-rest ROC AUC; null when undefined or without a test set.</summary>
    [property: Id(22)] double? TestAuc = null,
    /// <summary>The clients' evaluation of this round's model on their validation data; null when they did not evaluate it.</summary>
    [property: Id(23)] FederatedEvaluation? FederatedEval = null,
    /// <summary>The L2 bound this round clipped updates to; null without clipping.</summary>
    [property: Id(24)] double? ClipBound = null,
    /// <summary>Largest peak working set of a participating client's process (in <c>simulate</c>, the coordinator's too).</summary>
    [property: Id(25)] long ProcessPeakMemoryBytes = 0,
    /// <summary>Silos lost since the previous round closed: each one's bytes after its last traffic report (at most one
    /// <c>Coordinator:TrafficReportPeriod</c>) are missing from this round's bytes.</summary>
    [property: Id(26)] int SilosLost = 0);
