using System.Diagnostics;
using System.IO.Hashing;
using System.Text;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Transport;

namespace PoolCompress.Coordinator.Telemetry;

/// <summary>
/// Spans of a round: <c>round</c> (one per attempt) with <c>select</c> and <c>aggregate</c>, recorded by the federation
/// grain, and per client <c>train</c> (model download, local training, upload) and <c>push</c> (receiving, checking
/// and adding the update), recorded by whichever silo serves the client. Silos share no span context, so a round's
/// trace id and parent are derived from the federation id and round number: every silo's spans of a round land in
/// one trace without passing anything between them.
/// </summary>
public static class RoundTracing
{
    public const string SourceName = "PoolCompress.Coordinator";
    private static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartRound(string federationId, int round, int attempt, IReadOnlyCollection<string> selected)
    {
        var roundSpan = StartDetached("round", federationId, round);
        roundSpan?.SetTag("poolcompress.attempt", attempt);
        roundSpan?.SetTag("poolcompress.selected", selected.Count);
        using var selectSpan = roundSpan is null ? null : Source.StartActivity("select", ActivityKind.Internal, roundSpan.Context);
        selectSpan?.SetTag("poolcompress.round", round);
        selectSpan?.SetTag("poolcompress.clients", string.Join(',', selected));
        return roundSpan;
    }

    public static Activity? StartAggregate(Activity? roundSpan) =>
        roundSpan is null ? null : Source.StartActivity("aggregate", ActivityKind.Internal, roundSpan.Context);

    public static void EndRound(Activity? roundSpan, RoundMetrics metrics)
    {
        if (roundSpan is null) return;
        roundSpan.SetTag("poolcompress.participants", metrics.Participants);
        roundSpan.SetTag("poolcompress.uplink.bytes", metrics.UplinkBytes);
        roundSpan.SetTag("poolcompress.downlink.bytes", metrics.DownlinkBytes);
        roundSpan.SetTag("poolcompress.accuracy", metrics.TestAccuracy);
        roundSpan.Stop();
    }

    /// <summary>A client's task on this silo, from its model download to its update's arrival.</summary>
    public const string Train = "train";

    /// <summary>Receiving, checking and adding a client's update.</summary>
    public const string Push = "push";

    /// <summary>Starts a client's <see cref="Train"/> or <see cref="Push"/> span.</summary>
    public static Activity? StartForClient(string name, string federationId, int round, string clientId)
    {
        var span = StartDetached(name, federationId, round);
        span?.SetTag("poolcompress.client.id", clientId);
        return span;
    }

    public static void SetBytes(Activity? span, TrafficSnapshot traffic)
    {
        span?.SetTag("poolcompress.uplink.bytes", traffic.Received);
        span?.SetTag("poolcompress.downlink.bytes", traffic.Sent);
    }

    /// <summary>
    /// Starts a span under the round's derived parent without making it the ambient activity: a round outlives the
    /// grain call or request that starts it, and the spans of one request must not nest under it by accident.
    /// </summary>
    private static Activity? StartDetached(string name, string federationId, int round)
    {
        if (!Source.HasListeners()) return null;
        var ambient = Activity.Current;
        var span = Source.StartActivity(name, ActivityKind.Internal, RoundParent(federationId, round));
        Activity.Current = ambient;
        span?.SetTag("poolcompress.federation", federationId);
        span?.SetTag("poolcompress.round", round);
        return span;
    }

    private static ActivityContext RoundParent(string federationId, int round)
    {
        Span<byte> hash = stackalloc byte[16];
        XxHash128.Hash(Encoding.UTF8.GetBytes($"{federationId}/{round}"), hash);
        return new ActivityContext(
            ActivityTraceId.CreateFromBytes(hash),
            ActivitySpanId.CreateFromBytes(hash[8..]),
            ActivityTraceFlags.Recorded);
    }
}
