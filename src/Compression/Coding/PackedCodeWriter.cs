using System.Buffers.Binary;
using System.Numerics.Tensors;

namespace PoolCompress.Compression.Coding;

/// <summary>Packs fixed-width codes (1 to 16 bits) back to back, least-significant bit first; 8- and 16-bit codes take
/// a byte-aligned fast path with the same layout.</summary>
internal ref struct PackedCodeWriter(Span<byte> destination, int bits)
{
    private readonly Span<byte> _destination = destination;
    private BitWriter _bitWriter = new(destination);
    private int _position;

    public static long ByteLength(long count, int bits) => (count * bits + 7) / 8;

    public void Write(ReadOnlySpan<int> codes)
    {
        switch (bits)
        {
            case 8:
                TensorPrimitives.ConvertTruncating(codes, _destination.Slice(_position, codes.Length));
                _position += codes.Length;
                break;
            case 16:
                foreach (var code in codes)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(_destination[_position..], (ushort)code);
                    _position += 2;
                }
                break;
            default:
                foreach (var code in codes) _bitWriter.Write((uint)code, bits);
                break;
        }
    }

    public void Flush() => _bitWriter.Flush();
}
