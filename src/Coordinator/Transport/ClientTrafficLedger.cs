using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Options;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Telemetry;

namespace PoolCompress.Coordinator.Transport;

/// <summary>
/// Attributes socket bytes to a client's task: from the moment its model download starts to the moment its
/// update has arrived. Each client dials its own connection, so the connection's counters are its traffic. The
/// task is traced over the same interval (a <c>train</c> span). Tasks of earlier rounds that never ended (a client
/// that died, or whose upload was refused as stale) are dropped when the first task of a newer round begins, so
/// what the ledger holds is bounded by one round's tasks, not by every client that ever trained.
/// </summary>
public sealed class ClientTrafficLedger(IOptions<FederationSettings> settings)
{
    private readonly ConcurrentDictionary<(string Client, int Round), (ConnectionTraffic Connection, TrafficSnapshot At, Activity? Span)> _open = new();

    private int _newestRound;

    /// <summary>Tasks begun and not yet ended.</summary>
    public int OpenTasks => _open.Count;

    public void Begin(string clientId, int round, ServerCallContext context)
    {
        if (Connection(context) is { } connection) Begin(clientId, round, connection);
    }

    public void Begin(string clientId, int round, ConnectionTraffic connection)
    {
        if (round > Volatile.Read(ref _newestRound)) ForgetRoundsBefore(round);
        var span = RoundTracing.StartForClient(RoundTracing.Train, settings.Value.FederationId, round, clientId);
        if (_open.TryGetValue((clientId, round), out var superseded)) superseded.Span?.Stop();
        _open[(clientId, round)] = (connection, connection.Snapshot(), span);
    }

    /// <summary>Bytes received from (Received) and sent to (Sent) the client for its task, or zero when unknown.</summary>
    public TrafficSnapshot End(string clientId, int round, ServerCallContext context)
    {
        var current = Connection(context);
        if (!_open.TryRemove((clientId, round), out var start)) return default;
        // A client that reconnected mid-task: its first connection's bytes since the start, plus all of the new one's.
        var traffic = current is null ? default
            : ReferenceEquals(start.Connection, current) ? current.Snapshot() - start.At
            : start.Connection.Snapshot() - start.At + current.Snapshot();
        RoundTracing.SetBytes(start.Span, traffic);
        start.Span?.Stop();
        return traffic;
    }

    private void ForgetRoundsBefore(int round)
    {
        int seen;
        while ((seen = Volatile.Read(ref _newestRound)) < round && Interlocked.CompareExchange(ref _newestRound, round, seen) != seen) { }
        foreach (var key in _open.Keys.Where(k => k.Round < round))
            if (_open.TryRemove(key, out var abandoned)) abandoned.Span?.Stop();
    }

    public static TrafficSnapshot Since(TrafficSnapshot mark, ServerCallContext context) =>
        Connection(context) is { } connection ? connection.Snapshot() - mark : default;

    private static ConnectionTraffic? Connection(ServerCallContext context) => CallTrafficMarks.ConnectionOf(context.GetHttpContext());
}
