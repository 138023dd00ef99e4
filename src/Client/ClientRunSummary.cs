namespace PoolCompress.Client;

/// <summary>What one client did over a federation.</summary>
public sealed record ClientRunSummary(string ClientId, int RoundsTrained, long UpdateBytesSent, int UpdatesRejected);
