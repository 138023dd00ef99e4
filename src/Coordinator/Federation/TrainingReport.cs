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
    /// <summary>Whether the coordinator scaled the update down to the clip norm.</summary>
    [property: Id(5)] bool Clipped = false);
