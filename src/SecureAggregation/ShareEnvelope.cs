using System.Buffers.Binary;
using System.Security.Cryptography;

namespace PoolCompress.SecureAggregation;

/// <summary>
/// The two shares a client sends one neighbour (of its self-mask seed and of its mask private key), sealed with
/// ChaCha20-Poly1305 under the pair's channel key so the coordinator that relays them reads nothing. The nonce is
/// the sender's point, then the recipient's, each 4 bytes big-endian, then 4 zero bytes: both directions of a pair
/// share a key but never a nonce, and keys are fresh every round. The associated data is the round context.
/// </summary>
public static class ShareEnvelope
{
    public const int SealedBytes = 2 * ShamirSharing.ValueBytes + TagBytes;
    private const int TagBytes = 16;
    private const int NonceBytes = 12;

    public static byte[] Seal(ReadOnlySpan<byte> channelKey, ReadOnlySpan<byte> roundContext, int sender, int recipient, SharePair shares)
    {
        var plain = new byte[2 * ShamirSharing.ValueBytes];
        shares.SelfSeed.CopyTo(plain, 0);
        shares.MaskKey.CopyTo(plain, ShamirSharing.ValueBytes);
        var sealedBytes = new byte[SealedBytes];
        using var aead = new ChaCha20Poly1305(channelKey);
        aead.Encrypt(Nonce(sender, recipient), plain, sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length), roundContext);
        return sealedBytes;
    }

    public static SharePair Open(ReadOnlySpan<byte> channelKey, ReadOnlySpan<byte> roundContext, int sender, int recipient, ReadOnlySpan<byte> sealedBytes)
    {
        if (sealedBytes.Length != SealedBytes)
            throw new SecureAggregationException($"a sealed share pair has {SealedBytes} bytes, not {sealedBytes.Length}");
        var plain = new byte[2 * ShamirSharing.ValueBytes];
        try
        {
            using var aead = new ChaCha20Poly1305(channelKey);
            aead.Decrypt(Nonce(sender, recipient), sealedBytes[..plain.Length], sealedBytes[plain.Length..], plain, roundContext);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new SecureAggregationException($"the shares from point {sender} do not authenticate: forged, altered or misaddressed", e);
        }
        return new SharePair(plain[..ShamirSharing.ValueBytes], plain[ShamirSharing.ValueBytes..]);
    }

    private static byte[] Nonce(int sender, int recipient)
    {
        var nonce = new byte[NonceBytes];
        BinaryPrimitives.WriteInt32BigEndian(nonce, sender);
        BinaryPrimitives.WriteInt32BigEndian(nonce.AsSpan(4), recipient);
        return nonce;
    }
}

/// <summary>A recipient's share values of one sender's self-mask seed and mask private key.</summary>
public sealed record SharePair(byte[] SelfSeed, byte[] MaskKey);
