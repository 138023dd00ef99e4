using System.IO.Hashing;
using Google.Protobuf;

namespace PoolCompress.Protos.V1;

/// <summary>Splits a payload into the protocol's checksummed chunks.</summary>
public static class PayloadChunks
{
    /// <summary>Largest chunk either side sends; well below the message-size limits both sides set.</summary>
    public const int MaxChunkBytes = 1 << 20;

    /// <summary>Message-size limit both sides configure: one chunk plus generous room for framing fields.</summary>
    public const int MaxMessageBytes = MaxChunkBytes + (64 << 10);

    public static IEnumerable<PayloadChunk> Split(ReadOnlyMemory<byte> payload, int chunkBytes = MaxChunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkBytes, MaxChunkBytes);
        for (int offset = 0; offset < payload.Length; offset += chunkBytes)
        {
            var slice = payload.Slice(offset, Math.Min(chunkBytes, payload.Length - offset));
            yield return new PayloadChunk
            {
                Offset = offset,
                // The payload is never mutated after it is split, so wrapping instead of copying is safe.
                Data = UnsafeByteOperations.UnsafeWrap(slice),
                Crc32 = Crc32.HashToUInt32(slice.Span),
            };
        }
    }
}
