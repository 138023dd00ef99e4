using NSec.Cryptography;

namespace PoolCompress.SecureAggregation;

/// <summary>
/// A client's two fresh X25519 key pairs for one round: the mask key, whose private half is secret-shared so that
/// survivors can remove a dropped client's pairwise masks, and the channel key, which is never shared and encrypts
/// the shares between neighbours.
/// </summary>
public sealed class RoundKeys : IDisposable
{
    public const int PublicKeyBytes = 32;
    internal static readonly KeyAgreementAlgorithm Algorithm = KeyAgreementAlgorithm.X25519;

    private RoundKeys(Key maskKey, Key channelKey)
    {
        MaskKey = maskKey;
        ChannelKey = channelKey;
    }

    internal Key MaskKey { get; }
    internal Key ChannelKey { get; }

    public byte[] MaskPublicKey => MaskKey.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    public byte[] ChannelPublicKey => ChannelKey.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    /// <summary>The mask key's private half, the secret a client's neighbours hold shares of.</summary>
    public byte[] ExportMaskPrivateKey() => MaskKey.Export(KeyBlobFormat.RawPrivateKey);

    public static RoundKeys Create() => new(CreateKey(), CreateKey());

    /// <summary>A mask key rebuilt from its shares, used by the coordinator to remove a dropped client's masks.</summary>
    public static Key ImportMaskKey(ReadOnlySpan<byte> privateKey)
    {
        if (!Key.TryImport(Algorithm, privateKey, KeyBlobFormat.RawPrivateKey, out var key) || key is null)
            throw new SecureAggregationException("a reconstructed mask key is not a valid X25519 private key");
        return key;
    }

    private static Key CreateKey() =>
        Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    public void Dispose()
    {
        MaskKey.Dispose();
        ChannelKey.Dispose();
    }
}
