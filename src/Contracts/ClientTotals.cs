namespace PoolCompress.Contracts;

/// <summary>One client's accepted updates over the federation and the bytes its tasks cost at the socket.</summary>
[GenerateSerializer, Alias("PoolCompress.ClientTotals")]
public sealed record ClientTotals(
    [property: Id(0)] string ClientId,
    [property: Id(1)] int Updates,
    [property: Id(2)] long UplinkBytes,
    [property: Id(3)] long DownlinkBytes);
