namespace PoolCompress.SecureAggregation;

/// <summary>One Shamir share: the polynomial's value at <see cref="X"/> (1 and up), <see cref="ShamirSharing.ValueBytes"/> bytes big-endian.</summary>
public sealed record Share(int X, byte[] Value);
