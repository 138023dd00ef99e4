using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;

namespace PoolCompress.Links;

/// <summary>
/// A stream that moves bytes at a link's speed, writes at the uplink rate and reads at the downlink rate (see
/// <see cref="Pacer"/>), so rounds over it take the wall-clock time the real link would.
/// </summary>
/// <remarks>
/// <para>Latency model: only the client's end of the connection is emulated, so the whole round trip is charged on the
/// way in. Each byte read from the inner stream is held until one <see cref="LinkProfile.RoundTrip"/> after it arrived,
/// then released at the downlink rate. A response therefore reaches the caller one round trip plus its serialization
/// time after its request was sent, as in <see cref="LinkProfile.DownloadTime"/> and <see cref="LinkProfile.UploadTime"/>;
/// a long transfer pays the round trip once, since its bytes are in flight together; and the HTTP/2 frames that
/// interleave with a transfer (window updates, pings) cost no extra round trips. Writes are only paced.</para>
/// <para>To hold bytes back without stalling the sender, a background loop reads the inner stream ahead of the caller
/// from the first read on, up to twice what the link holds in flight (downlink rate × round trip). The inner stream
/// is owned: disposing this stream disposes it. Reads and writes may run concurrently with each other (as HTTP/2's
/// read and write loops do), but not with themselves. Synchronous calls block on the asynchronous ones.</para>
/// </remarks>
public sealed class ThrottledStream : Stream
{
    /// <summary>
    /// The most bytes paced as one batch: transfers move in slices so the far end sees bytes trickle in at the link's
    /// rate, not all at once after a long pause.
    /// </summary>
    internal const int SliceBytes = 16 * 1024;

    private const long MinimumReadAheadBytes = 64 * 1024;

    private readonly Stream _inner;
    private readonly long _roundTripTimestampUnits;
    private readonly TimeProvider _time;
    private readonly Pacer _uplink;
    private readonly Pacer _downlink;
    private readonly Pipe _received;
    private readonly ConcurrentQueue<Arrival> _arrivals = new();
    private readonly CancellationTokenSource _disposed = new();
    private Task? _readAhead;
    private long _headArrivedAt;
    private int _headBytesLeft;

    public ThrottledStream(Stream inner, LinkProfile link, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(link);
        _inner = inner;
        _time = time ?? TimeProvider.System;
        _roundTripTimestampUnits = (long)Math.Round(link.RoundTrip.TotalSeconds * _time.TimestampFrequency);
        _uplink = new Pacer(link.UplinkBitsPerSecond, _time);
        _downlink = new Pacer(link.DownlinkBitsPerSecond, _time);
        long inFlightBytes = (long)(link.DownlinkBitsPerSecond / 8 * link.RoundTrip.TotalSeconds);
        long readAhead = Math.Max(MinimumReadAheadBytes, 2 * inFlightBytes);
        _received = new Pipe(new PipeOptions(pauseWriterThreshold: readAhead, resumeWriterThreshold: readAhead / 2, useSynchronizationContext: false));
    }

    public override bool CanRead => _inner.CanRead;
    public override bool CanWrite => _inner.CanWrite;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        _readAhead ??= ReadAheadAsync(_disposed.Token);
        PipeReader reader = _received.Reader;
        ReadOnlySequence<byte> received = (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)).Buffer;
        int delivered = 0;
        try
        {
            // An empty buffer asks to wait until bytes arrive (HTTP/2 reads so while idle); nothing received is the end.
            if (buffer.IsEmpty || received.IsEmpty) return 0;
            if (_headBytesLeft == 0)
                (_headArrivedAt, _headBytesLeft) = _arrivals.TryDequeue(out var next)
                    ? next
                    : throw new UnreachableException("bytes in the pipe without their arrival");
            int slice = Math.Min(Math.Min(buffer.Length, SliceBytes), _headBytesLeft);
            await DelayAsync(_downlink.Take(slice, readyAt: _headArrivedAt + _roundTripTimestampUnits), cancellationToken).ConfigureAwait(false);
            received.Slice(0, slice).CopyTo(buffer.Span);
            _headBytesLeft -= slice;
            delivered = slice;
            return slice;
        }
        finally
        {
            reader.AdvanceTo(received.GetPosition(delivered));
        }
    }

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        long handedOver = _uplink.ReadyTimeOfNewBatch();
        while (!buffer.IsEmpty)
        {
            ReadOnlyMemory<byte> slice = buffer[..Math.Min(buffer.Length, SliceBytes)];
            await DelayAsync(_uplink.Take(slice.Length, handedOver), cancellationToken).ConfigureAwait(false);
            await _inner.WriteAsync(slice, cancellationToken).ConfigureAwait(false);
            buffer = buffer[slice.Length..];
        }
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed.IsCancellationRequested)
        {
            // Stops the read-ahead loop, which then ends the pipe, waking any pending read with the failure.
            _disposed.Cancel();
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private async Task ReadAheadAsync(CancellationToken disposed)
    {
        PipeWriter writer = _received.Writer;
        try
        {
            while (true)
            {
                int read = await _inner.ReadAsync(writer.GetMemory(SliceBytes), disposed).ConfigureAwait(false);
                if (read == 0) break;
                // Queued before the flush that makes the bytes readable, so a reader always finds their arrival.
                _arrivals.Enqueue(new Arrival(_time.GetTimestamp(), read));
                writer.Advance(read);
                if ((await writer.FlushAsync(disposed).ConfigureAwait(false)).IsCompleted) break;
            }
            await writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Surfaces at the caller's next read, where the inner stream's own failure would have.
            await writer.CompleteAsync(e).ConfigureAwait(false);
        }
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, _time, cancellationToken) : Task.CompletedTask;

    private readonly record struct Arrival(long Timestamp, int Bytes);
}
