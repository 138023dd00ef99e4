namespace PoolCompress.Coordinator.Federation;

/// <summary>What a client says about its local training along with its update.</summary>
[GenerateSerializer, Alias("PoolCompress.TrainingReport")]
public sealed record TrainingReport(
    [property: Id(0)] double MeanLoss,
    [property: Id(1)] double Seconds,
    [property: Id(2)] long PeakMemoryBytes);
