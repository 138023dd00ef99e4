using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace PoolCompress.Compression.Wire;

/// <summary>Reads little-endian fields with a bounds check on every read, so a short or lying buffer becomes a
/// <see cref="WireFormatException"/> naming the field rather than an index error.</summary>
public ref struct PayloadReader(ReadOnlySpan<byte> data, string context)
{
    private readonly ReadOnlySpan<byte> _data = data;

    public int Position { get; private set; }

    public readonly int Remaining => _data.Length - Position;

    /// <summary>Where in the payload this reader is, for error messages (e.g. "tensor 'fc1.weight'").</summary>
    public readonly string Context => context;

    public ReadOnlySpan<byte> ReadBytes(int count, string field)
    {
        if (count < 0 || count > Remaining)
            throw Error($"{field} needs {count} bytes but only {Remaining} remain (truncated payload or lying length)");
        var bytes = _data.Slice(Position, count);
        Position += count;
        return bytes;
    }

    public byte ReadByte(string field) => ReadBytes(1, field)[0];

    public ushort ReadUInt16(string field) => BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2, field));

    public uint ReadUInt32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4, field));

    public ulong ReadUInt64(string field) => BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8, field));

    public float ReadSingle(string field) => BinaryPrimitives.ReadSingleLittleEndian(ReadBytes(4, field));

    /// <summary>Reads a count that must not exceed <paramref name="max"/>; checked before anything is sized by it.</summary>
    public int ReadCount(string field, int max)
    {
        var value = ReadUInt32(field);
        if (value > (uint)max) throw Error($"{field} is {value} but at most {max} is possible here");
        return (int)value;
    }

    /// <summary>Reads a float that must be finite, such as a scale: a NaN or infinite scale would decode to garbage silently.</summary>
    public float ReadFiniteSingle(string field)
    {
        var value = ReadSingle(field);
        if (!float.IsFinite(value)) throw Error($"{field} is {value}; it must be finite");
        return value;
    }

    public void ReadSingles(Span<float> destination, string field)
    {
        var source = MemoryMarshal.Cast<byte, uint>(ReadBytes(checked(destination.Length * sizeof(float)), field));
        if (BitConverter.IsLittleEndian) source.CopyTo(MemoryMarshal.Cast<float, uint>(destination));
        else BinaryPrimitives.ReverseEndianness(source, MemoryMarshal.Cast<float, uint>(destination));
    }

    public void ReadUInt16s(Span<ushort> destination, string field)
    {
        var source = MemoryMarshal.Cast<byte, ushort>(ReadBytes(checked(destination.Length * sizeof(ushort)), field));
        if (BitConverter.IsLittleEndian) source.CopyTo(destination);
        else BinaryPrimitives.ReverseEndianness(source, destination);
    }

    public readonly void ExpectEnd()
    {
        if (Remaining != 0) throw Error($"{Remaining} unexpected bytes after the encoded data");
    }

    public readonly WireFormatException Error(string message) => new($"{context}: {message}");
}
