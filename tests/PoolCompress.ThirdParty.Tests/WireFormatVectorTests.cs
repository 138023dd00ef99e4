using PoolCompress.Protos.V1;

namespace PoolCompress.ThirdParty.Tests;

/// <summary>The hand-written encoder against docs/wire-format.md's own test vectors (section 5), without a coordinator.</summary>
public sealed class WireFormatVectorTests
{
    private static readonly TensorLayout[] Layout =
    [
        new() { Name = "fc.weight", Shape = { 32, 32 } },
        new() { Name = "fc.bias", Shape = { 4 } },
    ];

    [Fact]
    public void The_layout_fingerprint_is_the_documented_one() =>
        Assert.Equal(0xbdda11b4aa53953dUL, WireFormat.LayoutFingerprint(Layout));

    /// <summary>Section 5's update: the 1,024 weights, then the four biases.</summary>
    private static float Value(long i) => i < 1024 ? (i % 2 == 0 ? 1 : -1) * ((619 * i % 1031) + 1) / 1024f : (i - 1024 - 1.5f) / 4;

    /// <summary>Section 5.3's `topk:0.0025>ternary` payload, 94 bytes.</summary>
    private const string TopKTernaryVector = """
        50435746 02000000 2a000000 00000000 1300746f 706b3a30 2e303032 353e7465
        726e6172 79020000 003d9553 aab411da bd011300 00000208 00000003 00000008
        04000000 f227701f abaa803f 000600b6 00b00030 00363c3b 2edadd0c ec5c
        """;

    /// <summary>
    /// Written by hand as section 2.3 says: k = ceil(0.0025 · 1,024) = 3 largest magnitudes, their gaps Golomb-Rice
    /// coded with the documented choice of r, ternary values; the biases sent whole in float16 (encoding 2), seed 42.
    /// </summary>
    [Fact]
    public void A_hand_written_top_k_ternary_payload_is_the_documented_one()
    {
        int[] kept = [.. Enumerable.Range(0, 1024).OrderByDescending(i => Math.Abs(Value(i))).Take(3).Order()];
        var weights = TopKTernary.Of(kept, [.. kept.Select(i => Value(i))]);
        byte[] payload = WireFormat.Payload("topk:0.0025>ternary", 42, Layout,
            [new(WireFormat.CodecChain, weights.Body()), new(WireFormat.DenseFloat16, WireFormat.Halves([.. Enumerable.Range(1024, 4).Select(i => Value(i))]))]);

        Assert.Equal(8, weights.Rice);
        Assert.Equal(Convert.FromHexString(string.Concat(TopKTernaryVector.Where(char.IsAsciiHexDigit))), payload);
    }

    [Fact]
    public void A_dense_update_reads_back_with_the_documented_checks()
    {
        byte[] payload = WireFormat.DenseUpdate(Layout, Value);
        Assert.Equal(18 + 4 + 4 + 8 + 2 * 5 + 4 * 1028 + 8, payload.Length);
        Assert.Equal(Enumerable.Range(0, 1028).Select(i => Value(i)), WireFormat.ReadDense(payload, Layout));
    }
}
