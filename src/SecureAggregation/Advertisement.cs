using System.Security.Cryptography;

namespace PoolCompress.SecureAggregation;

/// <summary>
/// What a client publishes in the first stage: its two public keys and a SHA-256 commitment to its self-mask seed,
/// so the coordinator can tell a reconstructed seed or key from one that forged shares produced.
/// </summary>
public sealed record Advertisement(byte[] MaskPublicKey, byte[] ChannelPublicKey, byte[] SelfSeedCommitment)
{
    public const int CommitmentBytes = 32;

    public static byte[] Commit(ReadOnlySpan<byte> selfSeed, ReadOnlySpan<byte> roundContext) =>
        SHA256.HashData([.. roundContext, .. selfSeed]);

    /// <summary>Checks the sizes of what a client sent, before anything is derived from it.</summary>
    public void Validate()
    {
        if (MaskPublicKey.Length != RoundKeys.PublicKeyBytes || ChannelPublicKey.Length != RoundKeys.PublicKeyBytes)
            throw new SecureAggregationException($"public keys have {RoundKeys.PublicKeyBytes} bytes");
        if (SelfSeedCommitment.Length != CommitmentBytes)
            throw new SecureAggregationException($"a self-seed commitment has {CommitmentBytes} bytes");
    }
}
