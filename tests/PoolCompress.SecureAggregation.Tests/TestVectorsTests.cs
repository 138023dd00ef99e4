using PoolCompress.SecureAggregation;

namespace PoolCompress.SecureAggregation.Tests;

/// <summary>
/// The vectors docs/secure-aggregation.md gives a third-party client. The pair seed uses RFC 7748's X25519 test keys
/// and was checked against a separate HKDF (Python's hmac); the public seeds against SHA-256 from hashlib.
/// </summary>
public sealed class TestVectorsTests
{
    private static readonly byte[] Context = [1, 2, 3, 4];

    [Fact]
    public void Public_seeds_pairing_and_support_for_round_seed_42()
    {
        Assert.Equal("8E48E459E05F6C46EBB2FCFEB33EBAA9AA4674D87F1F54A6328E4A3BF21EFC6F", Convert.ToHexString(PublicSeeds.Derive(PublicSeeds.PairingLabel, 42)));
        Assert.Equal("3AA13959B29F7188ABFD6D80A0B5A27E6FAD72742ABFC28F4611B99ACA9775FE", Convert.ToHexString(PublicSeeds.Derive(PublicSeeds.SupportLabel, 42)));
        var graph = PairingGraph.Build(members: 10, degree: 4, roundSeed: 42);
        Assert.Equal([2, 5, 7, 8], graph.NeighboursOf(1));
        Assert.Equal([3, 4, 6, 7], graph.NeighboursOf(10));
        Assert.Equal([219, 470, 519, 596, 649, 781, 901, 966, 976, 988], SharedSupport.Choose(dimension: 1000, count: 10, roundSeed: 42));
    }

    [Fact]
    public void A_followed_support_and_how_the_plan_names_it()
    {
        var movement = new float[1000];
        (movement[10], movement[500], movement[999]) = (0.5f, -2f, 1f);

        var support = SharedSupport.Follow(movement, count: 10, followed: 2, roundSeed: 42);

        Assert.Equal([470, 500, 520, 597, 782, 902, 967, 977, 989, 999], support);
        Assert.Equal("0A000000060B00000080D6EE2443DC5B60729900", Convert.ToHexString(SupportList.Encode(support)));
    }

    [Fact]
    public void Mask_expansion_and_packing()
    {
        var words = new uint[8];
        MaskExpansion.Add(words, Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), new MaskSpace(5));

        Assert.Equal([18u, 10, 9, 29, 16, 10, 6, 8], words);
        Assert.Equal("52A50E9541", Convert.ToHexString(MaskedWords.Pack(words, new MaskSpace(5))));
    }

    [Fact]
    public void Pair_secrets_from_rfc_7748_keys()
    {
        using var alice = RoundKeys.ImportMaskKey(Convert.FromHexString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        var bob = Convert.FromHexString("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");

        Assert.Equal("AD730D17C3D19F42B60390B7AFF171C174B590E0CB2E6A52DE2547863236D2E5", Convert.ToHexString(PairSecrets.MaskSeed(alice, bob, Context)));
        Assert.Equal("BFB848A2890AB55F24BB0551043E837FE48CA1DBFD6A648C394038B352CEF102", Convert.ToHexString(PairSecrets.ChannelKey(alice, bob, Context)));
    }

    [Fact]
    public void Envelope_and_commitment()
    {
        var sealedBytes = ShareEnvelope.Seal(new byte[32], Context, sender: 1, recipient: 2,
            new SharePair(new byte[ShamirSharing.ValueBytes], Enumerable.Repeat((byte)1, ShamirSharing.ValueBytes).ToArray()));

        Assert.Equal("69F6B4EAE8B9D7C3A4E66101D95A090F", Convert.ToHexString(sealedBytes[..16]));
        Assert.Equal("9B288C87B90A84729615F59B232AC4EC", Convert.ToHexString(sealedBytes[^16..]));
        Assert.Equal("0CD7DB9EEE475654B655ABF148DDBE0563DCBEC0AB7EA3ECD7254B175169952D", Convert.ToHexString(Advertisement.Commit(new byte[32], Context)));
    }
}
