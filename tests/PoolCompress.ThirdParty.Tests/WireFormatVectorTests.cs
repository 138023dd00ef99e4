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

    [Fact]
    public void A_dense_update_reads_back_with_the_documented_checks()
    {
        float Value(long i) => i < 1024 ? (i % 2 == 0 ? 1 : -1) * ((619 * i % 1031) + 1) / 1024f : (i - 1024 - 1.5f) / 4;
        byte[] payload = WireFormat.DenseUpdate(Layout, Value);
        Assert.Equal(18 + 4 + 4 + 8 + 2 * 5 + 4 * 1028 + 8, payload.Length);
        Assert.Equal(Enumerable.Range(0, 1028).Select(i => Value(i)), WireFormat.ReadDense(payload, Layout));
    }
}
