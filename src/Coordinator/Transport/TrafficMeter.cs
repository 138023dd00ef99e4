using System.Diagnostics.Metrics;

namespace PoolCompress.Coordinator.Transport;

/// <summary>
/// Bytes that crossed this coordinator's sockets, in both directions, counted below HTTP/2 and TLS (see
/// <see cref="TrafficCountingMiddleware"/>). Totals are monotonic; rounds report differences between snapshots.
/// </summary>
public sealed class TrafficMeter
{
    public const string MeterName = "PoolCompress.Coordinator";
    private readonly Counter<long> _received;
    private readonly Counter<long> _sent;
    private readonly UpDownCounter<long> _connections;
    private long _bytesReceived;
    private long _bytesSent;
    private long _bytesRejected;

    public TrafficMeter(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _received = meter.CreateCounter<long>("poolcompress.transport.received", "By", "Bytes received from clients at the socket (uplink)");
        _sent = meter.CreateCounter<long>("poolcompress.transport.sent", "By", "Bytes sent to clients at the socket (downlink)");
        _connections = meter.CreateUpDownCounter<long>("poolcompress.transport.connections", "{connection}", "Open client connections");
    }

    /// <summary>Bytes received from clients (uplink) so far.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Bytes sent to clients (downlink) so far.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Bytes received in calls that were refused (bad, stale, unselected or too slow uploads), part of <see cref="BytesReceived"/>.</summary>
    public long BytesRejected => Interlocked.Read(ref _bytesRejected);

    public TrafficSnapshot Snapshot() => new(BytesReceived, BytesSent, BytesRejected);

    internal void OnReceived(int bytes)
    {
        Interlocked.Add(ref _bytesReceived, bytes);
        _received.Add(bytes);
    }

    internal void OnSent(int bytes)
    {
        Interlocked.Add(ref _bytesSent, bytes);
        _sent.Add(bytes);
    }

    public void OnRejected(long bytes) => Interlocked.Add(ref _bytesRejected, bytes);

    internal void OnConnectionOpened() => _connections.Add(1);

    internal void OnConnectionClosed() => _connections.Add(-1);
}

[GenerateSerializer, Immutable, Alias("PoolCompress.TrafficSnapshot")]
public readonly record struct TrafficSnapshot([property: Id(0)] long Received, [property: Id(1)] long Sent, [property: Id(2)] long Rejected = 0)
{
    /// <summary>Bytes received that were not refused: the uplink that counts.</summary>
    public long Accepted => Received - Rejected;

    public static TrafficSnapshot operator -(TrafficSnapshot later, TrafficSnapshot earlier) =>
        new(later.Received - earlier.Received, later.Sent - earlier.Sent, later.Rejected - earlier.Rejected);

    public static TrafficSnapshot operator +(TrafficSnapshot a, TrafficSnapshot b) =>
        new(a.Received + b.Received, a.Sent + b.Sent, a.Rejected + b.Rejected);

    /// <summary>The larger of two readings of the same counters, field by field: counters only grow, so the later one.</summary>
    public static TrafficSnapshot Max(TrafficSnapshot a, TrafficSnapshot b) =>
        new(Math.Max(a.Received, b.Received), Math.Max(a.Sent, b.Sent), Math.Max(a.Rejected, b.Rejected));
}
