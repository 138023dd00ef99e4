namespace PoolCompress.Coordinator.Transport;

/// <summary>Bytes that crossed one client connection's socket, kept in the connection's items.</summary>
public sealed class ConnectionTraffic
{
    private readonly Lock _calls = new();
    private long _received;
    private long _sent;
    private int _callsInFlight;
    private long _receivedWhenIdle;

    public TrafficSnapshot Snapshot() => new(Interlocked.Read(ref _received), Interlocked.Read(ref _sent));

    /// <summary>
    /// Where a call starting now begins on this connection's counters. A call's first bytes are counted at the socket
    /// before its handler runs, and a fast client fills the whole HTTP/2 window before then, so a call that finds no
    /// other call in flight begins where the connection last went idle: all it received since is its own. Beside
    /// calls in flight the bytes cannot be told apart, and the call begins now.
    /// </summary>
    internal TrafficSnapshot CallStarted()
    {
        lock (_calls)
        {
            var now = Snapshot();
            return _callsInFlight++ == 0 ? now with { Received = _receivedWhenIdle } : now;
        }
    }

    internal void CallEnded()
    {
        lock (_calls)
        {
            if (--_callsInFlight == 0) _receivedWhenIdle = Interlocked.Read(ref _received);
        }
    }

    internal void OnReceived(int bytes) => Interlocked.Add(ref _received, bytes);

    internal void OnSent(int bytes) => Interlocked.Add(ref _sent, bytes);
}
