namespace PoolCompress.Coordinator.Transport;

/// <summary>Bytes that crossed one client connection's socket, kept in the connection's items.</summary>
public sealed class ConnectionTraffic
{
    private long _received;
    private long _sent;

    public TrafficSnapshot Snapshot() => new(Interlocked.Read(ref _received), Interlocked.Read(ref _sent));

    internal void OnReceived(int bytes) => Interlocked.Add(ref _received, bytes);

    internal void OnSent(int bytes) => Interlocked.Add(ref _sent, bytes);
}
