using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace PoolCompress.SecureAggregation;

/// <summary>
/// What two neighbours agree on without telling anyone: HKDF-SHA256 of their X25519 shared secret, salted with the
/// round's context and labelled by use, so one agreement never serves two purposes or two rounds.
/// </summary>
public static class PairSecrets
{
    private static readonly byte[] MaskLabel = Encoding.ASCII.GetBytes("poolcompress/secagg/v1/pair-mask");
    private static readonly byte[] ChannelLabel = Encoding.ASCII.GetBytes("poolcompress/secagg/v1/share-channel");

    public static byte[] MaskSeed(Key ownMaskKey, ReadOnlySpan<byte> peerMaskPublicKey, ReadOnlySpan<byte> roundContext) =>
        Derive(ownMaskKey, peerMaskPublicKey, roundContext, MaskLabel);

    public static byte[] ChannelKey(Key ownChannelKey, ReadOnlySpan<byte> peerChannelPublicKey, ReadOnlySpan<byte> roundContext) =>
        Derive(ownChannelKey, peerChannelPublicKey, roundContext, ChannelLabel);

    private static byte[] Derive(Key own, ReadOnlySpan<byte> peerPublicKey, ReadOnlySpan<byte> roundContext, byte[] label)
    {
        if (!PublicKey.TryImport(RoundKeys.Algorithm, peerPublicKey, KeyBlobFormat.RawPublicKey, out var peer) || peer is null)
            throw new SecureAggregationException($"a public key must be {RoundKeys.PublicKeyBytes} bytes of X25519, not {peerPublicKey.Length} bytes");
        try
        {
            using var shared = RoundKeys.Algorithm.Agree(own, peer)
                ?? throw new SecureAggregationException("key agreement with a low-order public key");
            return KeyDerivationAlgorithm.HkdfSha256.DeriveBytes(shared, roundContext, label, SeedStream.SeedBytes);
        }
        catch (CryptographicException e)
        {
            throw new SecureAggregationException("key agreement failed: the peer's public key is unusable", e);
        }
    }
}
