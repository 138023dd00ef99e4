using Microsoft.Extensions.Options;
using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.SecureRounds;

namespace PoolCompress.Coordinator.Services;

/// <summary>The grains a call reaches: the federation's, which owns all state, this silo's partial sum of its rounds, and a secure round's.</summary>
public sealed class FederationGrains(IGrainFactory grains, ILocalSiloDetails localSilo, IOptions<FederationSettings> settings)
{
    public string FederationId => settings.Value.FederationId;

    public IFederationGrain Federation => grains.GetGrain<IFederationGrain>(FederationId);

    /// <summary>The key of this silo's partial sum, which the federation grain reduces at the round's end.</summary>
    public string PartialSumKey => PartialAggregateKey.For(FederationId, localSilo.SiloAddress);

    public IPartialAggregateGrain PartialSum(string key) => grains.GetGrain<IPartialAggregateGrain>(key);

    public ISecureRoundGrain SecureRound(SecureRoundTicket ticket) => grains.GetGrain<ISecureRoundGrain>(ticket.Key);
}
