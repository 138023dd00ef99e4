namespace PoolCompress.Links.Tests;

/// <summary>
/// A clock that jumps forward by each timer's due time the moment the timer is made and fires it at once, so code
/// under test never really waits, and the time it would have waited adds up exactly on this clock.
/// </summary>
internal sealed class SteppingClock : TimeProvider
{
    private readonly List<TimeSpan> _delays = [];
    private long _ticks;

    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    public IReadOnlyList<TimeSpan> Delays
    {
        get
        {
            lock (_delays) return [.. _delays];
        }
    }

    /// <summary>Moves the clock on as if the code under test had been busy elsewhere.</summary>
    public void Advance(TimeSpan time) => Interlocked.Add(ref _ticks, time.Ticks);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch + Elapsed;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (_delays) _delays.Add(dueTime);
        Advance(dueTime);
        callback(state);
        return new FiredTimer();
    }

    private sealed class FiredTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose() { }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
