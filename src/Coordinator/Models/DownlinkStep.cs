namespace PoolCompress.Coordinator.Models;

/// <summary>
/// The encoded downlink difference that takes clients from published version <c>Version - 1</c> to
/// <paramref name="Version"/>, with the <see cref="PoolCompress.Compression.ModelHash"/> of the model before and after.
/// </summary>
public sealed record DownlinkStep(long Version, byte[] Difference, ulong BaseHash, ulong Hash);
