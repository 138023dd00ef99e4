namespace PoolCompress.Client;

/// <summary>The model this client built has other tensors than the coordinator's: a configuration error, not a data one.</summary>
public sealed class ModelLayoutMismatchException(string message) : Exception(message);
