namespace PoolCompress.Links;

/// <summary>
/// Paces one direction of a link: says how long each batch of bytes must wait so that, on average, bytes pass at the
/// link's rate. The bucket may go into debt, so a batch larger than the bucket waits for exactly its own serialization
/// time. One caller at a time, as for one direction of a stream.
/// </summary>
internal sealed class TokenBucket
{
    /// <summary>
    /// How much unused time the bucket keeps as credit: enough to absorb a timer that fires a millisecond or two late
    /// without dragging the average below the link rate, small enough that an idle link does not build up a burst
    /// the modeled timing would not allow.
    /// </summary>
    internal static readonly TimeSpan BurstWindow = TimeSpan.FromMilliseconds(5);

    private readonly double _bytesPerSecond;
    private readonly double _capacityBytes;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _refilledAt;

    public TokenBucket(double bitsPerSecond, TimeProvider time)
    {
        _bytesPerSecond = bitsPerSecond / 8;
        _capacityBytes = _bytesPerSecond * BurstWindow.TotalSeconds;
        _time = time;
        _refilledAt = time.GetTimestamp();
    }

    /// <summary>Takes <paramref name="bytes"/> out of the bucket and returns how long to wait before they may pass.</summary>
    public TimeSpan Take(int bytes)
    {
        long now = _time.GetTimestamp();
        _tokens = Math.Min(_capacityBytes, _tokens + _time.GetElapsedTime(_refilledAt, now).TotalSeconds * _bytesPerSecond);
        _refilledAt = now;
        _tokens -= bytes;
        return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _bytesPerSecond);
    }
}
