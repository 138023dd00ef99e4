namespace PoolCompress.Client;

/// <summary>
/// What one client did over a federation; each task brought either the whole model or the downlink differences
/// since the model the client held (none at all when it already held the task's model).
/// </summary>
public sealed record ClientRunSummary(string ClientId, int RoundsTrained, long UpdateBytesSent, int UpdatesRejected, int WholeModels, int Differences);
