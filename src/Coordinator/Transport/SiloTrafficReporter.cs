using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Federation;

namespace PoolCompress.Coordinator.Transport;

/// <summary>
/// Pushes this silo's socket counters to every other active silo once per <see cref="CoordinatorOptions.TrafficReportPeriod"/>
/// when they changed, so that if this silo dies the round still counts what it carried up to its last report: long
/// polls, joins, refused uploads, downloads whose update never arrived. Reports go to the peers' memory
/// (<see cref="SiloTrafficWitness"/>), never to storage, so they cost no write however busy the silo is.
/// </summary>
internal sealed class SiloTrafficReporter(
    IGrainFactory grains,
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    TrafficMeter meter,
    IOptions<FederationSettings> settings,
    IOptions<CoordinatorOptions> options,
    ILogger<SiloTrafficReporter> logger) : BackgroundService
{
    private readonly Dictionary<SiloAddress, TrafficSnapshot> _told = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string federationId = settings.Value.FederationId;
        string ownKey = PartialAggregateKey.For(federationId, localSilo.SiloAddress);
        using var period = new PeriodicTimer(options.Value.TrafficReportPeriod);
        try
        {
            while (await period.WaitForNextTickAsync(stoppingToken))
            {
                var counters = meter.Snapshot();
                var peers = membership.CurrentSnapshot.Members.Values
                    .Where(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(localSilo.SiloAddress))
                    .Select(m => m.SiloAddress)
                    .ToHashSet();
                foreach (var gone in _told.Keys.Where(peer => !peers.Contains(peer)).ToList()) _told.Remove(gone);
                var told = await Task.WhenAll(peers
                    .Where(peer => !_told.TryGetValue(peer, out var known) || known != counters)
                    .Select(async peer => (Peer: peer, Heard: await Tell(peer, federationId, ownKey, counters))));
                foreach (var (peer, heard) in told)
                    if (heard) _told[peer] = counters;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> Tell(SiloAddress peer, string federationId, string ownKey, TrafficSnapshot counters)
    {
        try
        {
            await grains.GetGrain<IPartialAggregateGrain>(PartialAggregateKey.For(federationId, peer)).Witness(ownKey, counters);
            return true;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            // A peer that is going away; the next tick tries again while it is still listed as active.
            logger.LogDebug("Traffic report to silo {Peer} failed: {Reason}", peer, e.Message);
            return false;
        }
    }
}
