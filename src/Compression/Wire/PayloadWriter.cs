using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace PoolCompress.Compression.Wire;

/// <summary>A growable little-endian byte sink backed by pooled arrays, so encoding large updates does not churn the large-object heap.</summary>
public sealed class PayloadWriter(int initialCapacity) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 256));

    public int Length { get; private set; }

    internal ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    /// <summary>Reserves <paramref name="count"/> bytes at the end and returns them for the caller to fill.</summary>
    public Span<byte> Allocate(int count)
    {
        var needed = (long)Length + count;
        if (needed > _buffer.Length) Grow(needed);
        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }

    /// <summary>Bytes already written, for fields (such as lengths) only known once what follows has been written.</summary>
    internal Span<byte> WrittenRange(int start, int count) => _buffer.AsSpan(start, count);

    public void WriteByte(byte value) => Allocate(1)[0] = value;

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Allocate(2), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Allocate(4), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Allocate(8), value);

    public void WriteSingle(float value) => BinaryPrimitives.WriteSingleLittleEndian(Allocate(4), value);

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Allocate(bytes.Length));

    public void WriteSingles(ReadOnlySpan<float> values)
    {
        var destination = MemoryMarshal.Cast<byte, uint>(Allocate(checked(values.Length * sizeof(float))));
        if (BitConverter.IsLittleEndian) MemoryMarshal.Cast<float, uint>(values).CopyTo(destination);
        else BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<float, uint>(values), destination);
    }

    public void WriteUInt16s(ReadOnlySpan<ushort> values)
    {
        var destination = MemoryMarshal.Cast<byte, ushort>(Allocate(checked(values.Length * sizeof(ushort))));
        if (BitConverter.IsLittleEndian) values.CopyTo(destination);
        else BinaryPrimitives.ReverseEndianness(values, destination);
    }

    internal byte[] ToArray() => Written.ToArray();

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Grow(long needed)
    {
        if (needed > Array.MaxLength) throw new InvalidOperationException($"the encoded payload would exceed {Array.MaxLength} bytes");
        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * _buffer.Length)));
        Written.CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
