using System.IO.Hashing;
using Google.Protobuf;
using PoolCompress.Protos.V1;

namespace PoolCompress.ThirdParty.Tests;

/// <summary>federation.proto's framing of a payload: chunks of at most 1 MiB, each with its offset and the CRC-32 of its bytes.</summary>
internal static class Chunks
{
    private const int MaxBytes = 1 << 20;

    public static List<PayloadChunk> Split(byte[] payload) =>
    [
        .. payload.Chunk(MaxBytes).Select((data, index) => new PayloadChunk
        {
            Offset = (long)index * MaxBytes,
            Data = ByteString.CopyFrom(data),
            Crc32 = Crc32.HashToUInt32(data),
        }),
    ];

    /// <summary>Puts a TRAIN task's chunks together, checking each chunk's offset and CRC-32 as a careful client would.</summary>
    public static byte[] Join(long payloadBytes, IEnumerable<PayloadChunk> chunks)
    {
        var payload = new MemoryStream();
        foreach (var chunk in chunks)
        {
            Assert.Equal(payload.Length, chunk.Offset);
            Assert.Equal(chunk.Crc32, Crc32.HashToUInt32(chunk.Data.Span));
            payload.Write(chunk.Data.Span);
        }
        Assert.Equal(payloadBytes, payload.Length);
        return payload.ToArray();
    }
}
