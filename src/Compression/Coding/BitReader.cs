using System.Buffers.Binary;
using System.Numerics;

namespace PoolCompress.Compression.Coding;

/// <summary>Reads what <see cref="BitWriter"/> wrote; running out of bits is a <see cref="WireFormatException"/>.</summary>
internal ref struct BitReader(ReadOnlySpan<byte> source, string context)
{
    private readonly ReadOnlySpan<byte> _source = source;
    private ulong _buffer;
    private int _bufferedBits;
    private int _position;

    /// <summary>Bytes of the source that have been at least partly consumed.</summary>
    public readonly int BytesConsumed => _position - _bufferedBits / 8;

    /// <summary>Reads <paramref name="bits"/> (0 to 32) bits.</summary>
    public uint Read(int bits)
    {
        if (_bufferedBits < bits)
        {
            Refill();
            if (_bufferedBits < bits) throw Truncated();
        }
        var value = (uint)(_buffer & ((1UL << bits) - 1));
        _buffer >>= bits;
        _bufferedBits -= bits;
        return value;
    }

    /// <summary>Counts zero bits up to the next one bit; more than <paramref name="max"/> zeros means corrupt data.</summary>
    public long ReadUnary(long max)
    {
        long quotient = 0;
        while (true)
        {
            if (_bufferedBits == 0)
            {
                Refill();
                if (_bufferedBits == 0) throw Truncated();
            }
            if (_buffer == 0)
            {
                quotient += _bufferedBits;
                _bufferedBits = 0;
            }
            else
            {
                var zeros = BitOperations.TrailingZeroCount(_buffer);
                quotient += zeros;
                _buffer >>= zeros + 1;
                _bufferedBits -= zeros + 1;
                return quotient <= max ? quotient : throw new WireFormatException($"{context}: a unary run of {quotient} exceeds the largest possible {max}");
            }
            if (quotient > max) throw new WireFormatException($"{context}: a unary run of over {quotient} exceeds the largest possible {max}");
        }
    }

    private void Refill()
    {
        if (_position + 8 <= _source.Length)
        {
            _buffer |= BinaryPrimitives.ReadUInt64LittleEndian(_source[_position..]) << _bufferedBits;
            var bytes = (63 - _bufferedBits) >> 3;
            _position += bytes;
            _bufferedBits += bytes * 8;
            _buffer &= _bufferedBits == 64 ? ulong.MaxValue : (1UL << _bufferedBits) - 1;
            return;
        }
        for (; _bufferedBits <= 56 && _position < _source.Length; _bufferedBits += 8)
            _buffer |= (ulong)_source[_position++] << _bufferedBits;
    }

    private readonly WireFormatException Truncated() => new($"{context}: the bit stream ends early (truncated or lying length)");
}
