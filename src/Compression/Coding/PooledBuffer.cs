using System.Buffers;

namespace PoolCompress.Compression.Coding;

/// <summary>Scratch memory rented from the shared pool for the span of one encode or decode call.</summary>
internal readonly struct PooledBuffer<T>(int length) : IDisposable
{
    private readonly T[] _array = ArrayPool<T>.Shared.Rent(length);

    public Span<T> Span => _array.AsSpan(0, length);

    public void Dispose() => ArrayPool<T>.Shared.Return(_array);
}
