using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Options;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Telemetry;

namespace PoolCompress.Coordinator.Transport;

/// <summary>
/// Attributes socket bytes to a client's task: from the moment its model download starts to the moment its
/// update has arrived. Each client dials its own connection, so the connection's counters are its traffic. The
/// task is traced over the same interval (a <c>train</c> span).
/// </summary>
public sealed class ClientTrafficLedger(IOptions<FederationSettings> settings)
{
    private readonly ConcurrentDictionary<(string Client, int Round), (ConnectionTraffic Connection, TrafficSnapshot At, Activity? Span)> _open = new();

    public void Begin(string clientId, int round, ServerCallContext context)
    {
        if (Connection(context) is not { } connection) return;
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

    /// <summary>The call's connection's counters now, to measure the call's own bytes with <see cref="Since"/>.</summary>
    public static TrafficSnapshot Mark(ServerCallContext context) => Connection(context)?.Snapshot() ?? default;

    public static TrafficSnapshot Since(TrafficSnapshot mark, ServerCallContext context) =>
        Connection(context) is { } connection ? connection.Snapshot() - mark : default;

    private static ConnectionTraffic? Connection(ServerCallContext context) =>
        context.GetHttpContext().Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(typeof(ConnectionTraffic), out var value) == true
            ? value as ConnectionTraffic
            : null;
}
