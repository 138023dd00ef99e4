namespace PoolCompress.Links;

/// <summary>
/// Paces one direction of a link as a queue: bytes leave one after the other at the link's rate, each batch starting
/// when both the link is free and the batch is ready. It keeps the time at which the link will have finished sending
/// what it has accepted (the virtual-clock form of a token bucket), so a caller woken late by its timer is owed that
/// time back on its next batch, and an idle link earns no burst. One caller at a time, as for one direction of a stream.
/// Times are timestamps of the pacer's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class Pacer
{
    /// <summary>
    /// How soon after the link fell idle a new batch still counts as following straight on from the last one: the
    /// caller was only woken a little late, and charging it that lateness on every batch of a transfer would drag
    /// the rate below the link's. A longer gap means the caller really had nothing to send.
    /// </summary>
    internal static readonly TimeSpan CatchUpAllowance = TimeSpan.FromMilliseconds(20);

    private readonly double _bytesPerSecond;
    private readonly TimeProvider _time;
    private long _busyUntil;

    public Pacer(double bitsPerSecond, TimeProvider time)
    {
        _bytesPerSecond = bitsPerSecond / 8;
        _time = time;
        _busyUntil = time.GetTimestamp();
    }

    /// <summary>When a batch handed over now is ready to go: now, or when the link fell idle if that was only just now.</summary>
    public long ReadyTimeOfNewBatch()
    {
        long now = _time.GetTimestamp();
        return _time.GetElapsedTime(_busyUntil, now) <= CatchUpAllowance ? _busyUntil : now;
    }

    /// <summary>Queues <paramref name="bytes"/>, ready at <paramref name="readyAt"/>, and returns how long to wait until they have passed.</summary>
    public TimeSpan Take(int bytes, long readyAt)
    {
        long start = Math.Max(_busyUntil, readyAt);
        _busyUntil = start + (long)Math.Round(bytes / _bytesPerSecond * _time.TimestampFrequency);
        TimeSpan wait = _time.GetElapsedTime(_time.GetTimestamp(), _busyUntil);
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }
}
