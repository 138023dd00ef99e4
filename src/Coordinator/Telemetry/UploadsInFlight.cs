using System.Collections.Concurrent;
using System.Diagnostics;
using PoolCompress.Coordinator.Transport;

namespace PoolCompress.Coordinator.Telemetry;

/// <summary>
/// The updates this silo is receiving right now: counted (<c>poolcompress.uploads.in_flight</c>), traced (a
/// <c>push</c> span each) and listed by client for the dashboard.
/// </summary>
public sealed class UploadsInFlight(FederationMetrics metrics)
{
    private readonly ConcurrentDictionary<Upload, byte> _open = new();

    public IReadOnlyCollection<string> Clients => _open.Keys.Select(u => u.ClientId).Distinct(StringComparer.Ordinal).ToList();

    public Upload Begin(string federationId, int round, string clientId)
    {
        var upload = new Upload(this, clientId, RoundTracing.StartForClient(RoundTracing.Push, federationId, round, clientId));
        _open[upload] = 0;
        metrics.UploadStarted();
        return upload;
    }

    private void Ended() => metrics.UploadEnded();

    public sealed class Upload(UploadsInFlight owner, string clientId, Activity? span) : IDisposable
    {
        public string ClientId => clientId;

        /// <summary>Records what the client's task cost at the socket on the push's span.</summary>
        public void Arrived(TrafficSnapshot traffic) => RoundTracing.SetBytes(span, traffic);

        public void Dispose()
        {
            if (!owner._open.TryRemove(this, out _)) return;
            owner.Ended();
            span?.Stop();
        }
    }
}
