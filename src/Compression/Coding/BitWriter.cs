using System.Buffers.Binary;

namespace PoolCompress.Compression.Coding;

/// <summary>Packs bit fields least-significant bit first into a buffer whose exact size the caller computed.</summary>
internal ref struct BitWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;
    private ulong _pending;
    private int _pendingBits;
    private int _position;

    /// <summary>Writes the low <paramref name="bits"/> (0 to 32) bits of <paramref name="value"/>.</summary>
    public void Write(uint value, int bits)
    {
        _pending |= (ulong)value << _pendingBits;
        _pendingBits += bits;
        if (_pendingBits < 32) return;
        BinaryPrimitives.WriteUInt32LittleEndian(_destination[_position..], (uint)_pending);
        _position += 4;
        _pending >>= 32;
        _pendingBits -= 32;
    }

    /// <summary>Writes <paramref name="quotient"/> zero bits and then a one bit.</summary>
    public void WriteUnary(long quotient)
    {
        for (; quotient >= 31; quotient -= 31) Write(0, 31);
        Write(1u << (int)quotient, (int)quotient + 1);
    }

    /// <summary>Writes the last partial bytes; the buffer must then be exactly full.</summary>
    public void Flush()
    {
        for (; _pendingBits > 0; _pendingBits -= 8, _pending >>= 8) _destination[_position++] = (byte)_pending;
        _pendingBits = 0;
    }
}
