using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace PoolCompress.Coordinator.Transport;

/// <summary>
/// Marks where each call begins on its connection's counters (<see cref="ConnectionTraffic.CallStarted"/>) and where
/// it ends, so that what a refused call brought in is told from what came before it, however early its bytes arrived.
/// </summary>
public sealed class CallTrafficMarks(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (ConnectionOf(context) is not { } connection)
        {
            await next(context);
            return;
        }
        context.Features.Set(new CallStart(connection.CallStarted()));
        try
        {
            await next(context);
        }
        finally
        {
            connection.CallEnded();
        }
    }

    /// <summary>The connection's counters where the call began (now, on a connection that is not counted).</summary>
    public static TrafficSnapshot Start(HttpContext context) =>
        context.Features.Get<CallStart>()?.At ?? ConnectionOf(context)?.Snapshot() ?? default;

    public static ConnectionTraffic? ConnectionOf(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(typeof(ConnectionTraffic), out var value) == true
            ? value as ConnectionTraffic
            : null;

    private sealed record CallStart(TrafficSnapshot At);
}
