using System.IO.Hashing;
using PoolCompress.Compression;

namespace PoolCompress.Compression.Tests;

public sealed class LayoutFingerprintTests
{
    private static readonly ModelLayout Small = new([new TensorInfo("fc.weight", [3, 2]), new TensorInfo("fc.bias", [3])]);

    [Fact]
    public void The_fingerprint_is_XxHash3_of_the_canonical_encoding_in_the_wire_format_document()
    {
        byte[] canonical =
        [
            2, 0, 0, 0,                                   // u32 tensor count
            9, 0, .. "fc.weight"u8, 2, 3, 0, 0, 0, 2, 0, 0, 0, // u16 name length, name, u8 rank, u32 dims
            7, 0, .. "fc.bias"u8, 1, 3, 0, 0, 0,
        ];

        Assert.Equal(XxHash3.HashToUInt64(canonical), Small.Fingerprint);
    }

    [Fact]
    public void A_name_a_shape_or_the_order_changes_the_fingerprint_and_the_first_difference_is_found()
    {
        var renamed = new ModelLayout([new TensorInfo("fc.weights", [3, 2]), new TensorInfo("fc.bias", [3])]);
        var reshaped = new ModelLayout([new TensorInfo("fc.weight", [2, 3]), new TensorInfo("fc.bias", [3])]);
        var reordered = new ModelLayout([Small[1], Small[0]]);
        var shorter = new ModelLayout([Small[0]]);

        Assert.Equal(new ModelLayout(Small).Fingerprint, Small.Fingerprint);
        Assert.Equal(5, new[] { Small, renamed, reshaped, reordered, shorter }.Select(l => l.Fingerprint).Distinct().Count());
        Assert.Null(Small.FirstDifference(new ModelLayout(Small)));
        Assert.Equal(0, Small.FirstDifference(renamed));
        Assert.Equal(0, Small.FirstDifference(reshaped));
        Assert.Equal(1, Small.FirstDifference(shorter));
        Assert.Equal(1, shorter.FirstDifference(Small));
    }
}
