using Grpc.Core;

namespace PoolCompress.Coordinator.Transport;

/// <summary>
/// What one call brought in over its connection, counted as rejected traffic if the call is refused. Counted once,
/// and early enough to be counted with the round the refusal settles.
/// </summary>
public sealed class RefusedCallTraffic(TrafficMeter meter, ServerCallContext context)
{
    private readonly TrafficSnapshot _mark = CallTrafficMarks.Start(context.GetHttpContext());
    private bool _counted;

    public void Count()
    {
        if (_counted) return;
        _counted = true;
        meter.OnRejected(ClientTrafficLedger.Since(_mark, context).Received);
    }
}
