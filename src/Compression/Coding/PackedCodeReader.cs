using System.Buffers.Binary;
using System.Numerics.Tensors;

namespace PoolCompress.Compression.Coding;

/// <summary>Reads what <see cref="PackedCodeWriter"/> wrote. The caller sized the source from the code count, so
/// running short is a bug in that check, reported as a <see cref="WireFormatException"/> all the same.</summary>
internal ref struct PackedCodeReader(ReadOnlySpan<byte> source, int bits, string context)
{
    private readonly ReadOnlySpan<byte> _source = source;
    private BitReader _bitReader = new(source, context);
    private int _position;

    public void Read(Span<int> codes)
    {
        switch (bits)
        {
            case 8:
                TensorPrimitives.ConvertTruncating(_source.Slice(_position, codes.Length), codes);
                _position += codes.Length;
                break;
            case 16:
                for (var i = 0; i < codes.Length; i++, _position += 2)
                    codes[i] = BinaryPrimitives.ReadUInt16LittleEndian(_source[_position..]);
                break;
            default:
                for (var i = 0; i < codes.Length; i++) codes[i] = (int)_bitReader.Read(bits);
                break;
        }
    }
}
