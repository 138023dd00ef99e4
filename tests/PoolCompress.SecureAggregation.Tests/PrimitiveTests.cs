using System.Security.Cryptography;
using CsCheck;
using PoolCompress.SecureAggregation;

namespace PoolCompress.SecureAggregation.Tests;

public sealed class PrimitiveTests
{
    /// <summary>Known answer from an independent implementation: `openssl enc -aes-256-ctr -K 00..1f -iv 0` over zeros.</summary>
    [Fact]
    public void Seed_stream_is_aes_256_ctr_read_as_little_endian_words()
    {
        using var stream = new SeedStream(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());

        var words = Enumerable.Range(0, 8).Select(_ => stream.NextUInt32()).ToArray();

        Assert.Equal([0xb60090f2u, 0xd09f492au, 0x6a9af3a9u, 0x80772eddu, 0xae765df0u, 0xe59fb94au, 0x319bf6a6u, 0x3d36c248u], words);
    }

    [Fact]
    public void Any_threshold_of_shares_rebuilds_the_secret_and_fewer_do_not()
    {
        Gen.Int[1, 6].SelectMany(t => Gen.Int[t, 10].Select(n => (t, n))).Sample(((int t, int n) p) =>
        {
            var secret = RandomNumberGenerator.GetBytes(32);
            var shares = ShamirSharing.Split(secret, p.t, Enumerable.Range(1, p.n).ToArray());
            var chosen = shares.OrderBy(_ => Random.Shared.Next()).ToArray();

            Assert.Equal(secret, ShamirSharing.Combine(chosen, p.t, 32));
            Assert.Throws<SecureAggregationException>(() => ShamirSharing.Combine(chosen.Take(p.t - 1).ToArray(), p.t, 32));
        }, iter: 40);
    }

    [Fact]
    public void Fewer_shares_than_the_threshold_interpolate_to_something_else()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var shares = ShamirSharing.Split(secret, 3, [1, 2, 3, 4]);

        var guess = Record.Exception(() => ShamirSharing.Combine(shares.Take(2).ToArray(), 2, 32));

        Assert.IsType<SecureAggregationException>(guess);
    }

    [Fact]
    public void The_pairing_graph_is_symmetric_regular_and_fixed_by_the_round_seed()
    {
        var graph = PairingGraph.Build(members: 50, degree: 8, roundSeed: 11);

        Assert.All(Enumerable.Range(1, 50), p =>
        {
            Assert.Equal(8, graph.NeighboursOf(p).Count);
            Assert.DoesNotContain(p, graph.NeighboursOf(p));
            Assert.All(graph.NeighboursOf(p), q => Assert.True(graph.ArePaired(q, p)));
        });
        Assert.Equal(graph.NeighboursOf(1), PairingGraph.Build(50, 8, 11).NeighboursOf(1));
        Assert.NotEqual(graph.NeighboursOf(1), PairingGraph.Build(50, 8, 12).NeighboursOf(1));
    }

    [Fact]
    public void A_small_round_pairs_everyone()
    {
        var graph = PairingGraph.Build(members: 5, degree: 8, roundSeed: 1);

        Assert.Equal([1, 2, 4, 5], graph.NeighboursOf(3));
    }

    [Fact]
    public void The_shared_support_is_distinct_sorted_in_range_and_fixed_by_the_round_seed()
    {
        var support = SharedSupport.Choose(dimension: 100_000, count: 2_000, roundSeed: 5);

        Assert.Equal(2_000, support.Distinct().Count());
        Assert.Equal(support.Order(), support);
        Assert.InRange(support[0], 0, support[^1]);
        Assert.InRange(support[^1], 0, 99_999);
        Assert.Equal(support, SharedSupport.Choose(100_000, 2_000, 5));
        Assert.NotEqual(support, SharedSupport.Choose(100_000, 2_000, 6));
    }

    [Fact]
    public void An_altered_or_misaddressed_envelope_does_not_open()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var shares = new SharePair(new byte[ShamirSharing.ValueBytes], Enumerable.Repeat((byte)7, ShamirSharing.ValueBytes).ToArray());
        var sealedBytes = ShareEnvelope.Seal(key, [9], sender: 1, recipient: 2, shares);
        var altered = (byte[])sealedBytes.Clone();
        altered[3] ^= 1;

        Assert.Equal(shares.MaskKey, ShareEnvelope.Open(key, [9], 1, 2, sealedBytes).MaskKey);
        Assert.Throws<SecureAggregationException>(() => ShareEnvelope.Open(key, [9], 1, 2, altered));
        Assert.Throws<SecureAggregationException>(() => ShareEnvelope.Open(key, [9], 2, 1, sealedBytes));
        Assert.Throws<SecureAggregationException>(() => ShareEnvelope.Open(key, [9], 1, 2, sealedBytes[..^1]));
    }

    [Fact]
    public void A_public_key_of_the_wrong_size_or_order_is_refused()
    {
        using var keys = RoundKeys.Create();

        Assert.Throws<SecureAggregationException>(() => PairSecrets.MaskSeed(keys.MaskKey, new byte[31], [1]));
        Assert.Throws<SecureAggregationException>(() => PairSecrets.MaskSeed(keys.MaskKey, new byte[32], [1]));
    }

    [Fact]
    public void Both_ends_of_a_pair_derive_the_same_seed()
    {
        using var a = RoundKeys.Create();
        using var b = RoundKeys.Create();

        Assert.Equal(PairSecrets.MaskSeed(a.MaskKey, b.MaskPublicKey, [1]), PairSecrets.MaskSeed(b.MaskKey, a.MaskPublicKey, [1]));
        Assert.NotEqual(PairSecrets.MaskSeed(a.MaskKey, b.MaskPublicKey, [1]), PairSecrets.MaskSeed(a.MaskKey, b.MaskPublicKey, [2]));
    }

    [Theory]
    [InlineData(10, 1, 5)]
    [InlineData(10, 7, 8)]
    [InlineData(1000, 1, 11)]
    public void The_mask_space_holds_the_sum_of_every_client_at_the_extremes(int addends, int levels, int bits)
    {
        var space = MaskSpace.For(addends, levels);

        Assert.Equal(bits, space.Bits);
        Assert.True(space.MaxAddends(levels) >= addends);
        Assert.Equal(-addends * levels, space.ToSigned(Enumerable.Repeat(space.FromSigned(-levels), addends).Aggregate(0u, space.Add)));
    }

    [Fact]
    public void Stochastic_quantization_is_unbiased_and_decodes_to_the_clipped_sum()
    {
        var quantizer = new SecureQuantizer(scale: 0.01f, levels: 1);
        var space = MaskSpace.For(2000, 1);
        var values = Enumerable.Repeat(0.0037f, 2000).ToArray();
        var words = new uint[values.Length];
        quantizer.Quantize(values, words, space, new Random(1));

        var sum = new[] { words.Aggregate(0u, space.Add) };
        var decoded = new float[1];
        quantizer.Dequantize(sum, decoded, space);

        Assert.InRange(decoded[0], 2000 * 0.0037f - 0.4f, 2000 * 0.0037f + 0.4f);
        quantizer.Quantize([5f, -5f, float.NaN], words, space, new Random(1));
        Assert.Equal([1, -1, 0], words.Take(3).Select(space.ToSigned));
    }

    [Theory]
    [InlineData(0f, 1)]
    [InlineData(float.NaN, 1)]
    [InlineData(float.PositiveInfinity, 1)]
    [InlineData(0.01f, 0)]
    public void A_quantizer_needs_a_positive_scale_and_a_level_each_side(float scale, int levels)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SecureQuantizer(scale, levels));
    }
}
