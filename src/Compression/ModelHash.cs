using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace PoolCompress.Compression;

/// <summary>
/// A fingerprint of a model's exact float32 bits, by which a client and the coordinator agree on which model the
/// client holds: a downlink difference is only worth applying to exactly the model it was taken from.
/// </summary>
public static class ModelHash
{
    public static ulong Of(ReadOnlySpan<float> weights) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(weights));
}
