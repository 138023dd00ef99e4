namespace PoolCompress.Contracts;

/// <summary>One client's data sizes, as it reported them when it joined.</summary>
public sealed record ClientData(string ClientId, long Train, long Validation);
