using System.IO.Hashing;

namespace PoolCompress.Protos.V1;

/// <summary>
/// Reassembles a payload from its chunks, checking each chunk's offset, size and CRC-32 as it arrives, so a
/// corrupt or lying stream is rejected before more memory than the announced (and bounded) size is used. The
/// buffer grows with what has arrived, never ahead of it to the announced size: a stream that announces much and
/// sends little holds little.
/// </summary>
public sealed class PayloadAssembler
{
    private readonly int _announced;
    private byte[] _buffer = [];
    private int _written;

    public PayloadAssembler(long announcedBytes, long maxBytes)
    {
        if (announcedBytes <= 0)
            throw new InvalidDataException($"payload_bytes must be positive, got {announcedBytes}");
        if (announcedBytes > maxBytes)
            throw new InvalidDataException($"payload_bytes {announcedBytes} exceeds the limit of {maxBytes} bytes");
        if (announcedBytes > Array.MaxLength)
            throw new InvalidDataException($"payload_bytes {announcedBytes} exceeds the largest possible buffer");
        _announced = (int)announcedBytes;
    }

    public bool IsComplete => _written == _announced;

    public void Append(PayloadChunk chunk)
    {
        if (chunk.Offset != _written)
            throw new InvalidDataException($"chunk at offset {chunk.Offset} arrived where offset {_written} was expected");
        int length = chunk.Data.Length;
        if (length == 0 || length > PayloadChunks.MaxChunkBytes)
            throw new InvalidDataException($"chunk at offset {chunk.Offset} has {length} bytes; 1..{PayloadChunks.MaxChunkBytes} allowed");
        if (length > _announced - _written)
            throw new InvalidDataException($"chunk at offset {chunk.Offset} runs past the announced payload of {_announced} bytes");
        var data = chunk.Data.Span;
        uint crc = Crc32.HashToUInt32(data);
        if (crc != chunk.Crc32)
            throw new InvalidDataException($"chunk at offset {chunk.Offset} fails its CRC-32 check (sent {chunk.Crc32:x8}, computed {crc:x8})");
        if (_written + length > _buffer.Length)
            Array.Resize(ref _buffer, (int)Math.Min(_announced, Math.Max(2L * _buffer.Length, _written + length)));
        data.CopyTo(_buffer.AsSpan(_written));
        _written += length;
    }

    public byte[] GetPayload()
    {
        if (!IsComplete)
            throw new InvalidDataException($"payload ended after {_written} of {_announced} announced bytes");
        return _buffer;
    }
}
