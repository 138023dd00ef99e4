namespace PoolCompress.Contracts;

/// <summary>A read-only view of a federation for reports and progress displays.</summary>
[GenerateSerializer, Alias("PoolCompress.FederationStatus")]
public sealed record FederationStatus(
    [property: Id(0)] FederationPhase Phase,
    [property: Id(1)] int Round,
    [property: Id(2)] long ModelVersion,
    [property: Id(3)] int JoinedClients,
    [property: Id(4)] IReadOnlyList<RoundMetrics> History,
    [property: Id(5)] FederationSettings? Settings,
    [property: Id(6)] IReadOnlyList<ClientTotals> Clients);
