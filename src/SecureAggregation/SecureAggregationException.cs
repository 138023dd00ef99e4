namespace PoolCompress.SecureAggregation;

/// <summary>A protocol message or state that cannot be used: a malformed key or share, too few shares, a forged envelope.</summary>
public sealed class SecureAggregationException(string message, Exception? inner = null) : Exception(message, inner);
