namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// What a client says about its local training along with its update, and what its task cost at the socket
/// (model download and update upload, measured on its connection).
/// </summary>
[GenerateSerializer, Alias("PoolCompress.TrainingReport")]
public sealed record TrainingReport(
    [property: Id(0)] double MeanLoss,
    [property: Id(1)] double Seconds,
    [property: Id(2)] long PeakMemoryBytes,
    [property: Id(3)] long UplinkBytes,
    [property: Id(4)] long DownlinkBytes,
    /// <summary>The update's L2 norm as it arrived, before any clipping.</summary>
    [property: Id(6)] double UpdateNorm = 0,
    /// <summary>The peak working set of the client's process, which clients hosted together share.</summary>
    [property: Id(7)] long ProcessPeakMemoryBytes = 0,
    /// <summary>The L2 bound the update was clipped to, set at admission (null: none, or a report from before it was kept).</summary>
    [property: Id(8)] double? ClipBound = null);
