using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace PoolCompress.Coordinator.Aggregation;

/// <summary>
/// Places a silo's partial aggregate on the silo its key names (<see cref="PartialAggregateKey"/>) whoever calls it
/// first, as long as that silo is in the cluster; on the calling silo (a stand-in) only when it is gone or unknown.
/// Placement by caller (<see cref="PreferLocalPlacementAttribute"/>) let a peer's traffic report or collect reach a
/// silo's partial aggregate before the silo itself did: the activation then lived on the peer, and took the silo's
/// updates there.
/// </summary>
[GenerateSerializer, Immutable, Alias("PoolCompress.NamedSiloPlacement")]
public sealed class NamedSiloPlacement : PlacementStrategy;

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class NamedSiloPlacementAttribute() : PlacementAttribute(new NamedSiloPlacement());

internal sealed class NamedSiloPlacementDirector(IClusterMembershipService membership) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        string key = target.GrainIdentity.Key.ToString()!;
        var named = membership.CurrentSnapshot.Members.Values
            .FirstOrDefault(m => m.Status is not SiloStatus.Dead && PartialAggregateKey.Names(key, m.SiloAddress));
        return Task.FromResult(named?.SiloAddress ?? context.LocalSilo);
    }
}
