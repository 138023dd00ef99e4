using System.Buffers.Binary;
using System.Text;

namespace PoolCompress.Compression.Tests;

public class MalformedPayloadTests
{
    private static readonly ModelLayout Layout = TestData.SmallModel();

    private static byte[] ValidPayload(string spec = "topk:0.1>q:4", ushort wireVersion = 2) =>
        new UpdateEncoder(Layout, CodecSpec.Parse(spec), new UpdateEncoderOptions { DenseBelowElements = 300, WireVersion = wireVersion })
            .Encode(TestData.Gaussian(Layout.TotalLength, seed: 14), 5);

    private static string Rejected(byte[] payload, ModelLayout? layout = null)
    {
        layout ??= Layout;
        var error = Assert.Throws<WireFormatException>(() => UpdateDecoder.Decode(payload, layout, new float[layout.TotalLength]));
        return error.Message;
    }

    [Fact]
    public void Every_truncation_is_rejected()
    {
        var payload = ValidPayload();
        for (var length = 0; length < payload.Length; length++)
            Rejected(payload[..length]);
        Assert.Contains("shorter than the smallest possible payload", Rejected(payload[..10]));
    }

    [Fact]
    public void Wrong_checksum_is_rejected()
    {
        var payload = ValidPayload();
        payload[^20] ^= 0x10;
        Assert.Contains("checksum", Rejected(payload));
    }

    [Fact]
    public void Wrong_magic_version_and_flags_are_rejected()
    {
        var payload = ValidPayload();
        var badMagic = (byte[])payload.Clone();
        badMagic[0] = (byte)'X';
        Assert.Contains("magic", Rejected(badMagic));
        var badVersion = (byte[])payload.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(badVersion.AsSpan(4), 3);
        Assert.Contains("format version is 3; this decoder reads versions 1 and 2", Rejected(badVersion));
        var badFlags = (byte[])payload.Clone();
        badFlags[6] = 1;
        Assert.Contains("flags", Rejected(badFlags));
        Assert.Contains("magic", Assert.Throws<WireFormatException>(() => UpdateDecoder.ReadCodecSpec(badMagic)).Message);
    }

    [Fact]
    public void Version_1_payloads_still_decode_to_what_version_2_gives()
    {
        var first = ValidPayload(wireVersion: 1);
        var second = ValidPayload();
        Assert.Equal(1, TestData.Version(first));
        Assert.True(second.Length < first.Length, $"version 2 took {second.Length} bytes, version 1 {first.Length}");
        var fromFirst = new float[Layout.TotalLength];
        var fromSecond = new float[Layout.TotalLength];
        UpdateDecoder.Decode(first, Layout, fromFirst);
        UpdateDecoder.Decode(second, Layout, fromSecond);
        Assert.Equal(fromFirst, fromSecond);
        Assert.Equal(UpdateDecoder.ReadCodecSpec(first), UpdateDecoder.ReadCodecSpec(second));
    }

    [Fact]
    public void Another_layout_fingerprint_is_rejected()
    {
        var payload = ValidPayload();
        var otherShape = new ModelLayout(Layout.Select(t => t.Name == "fc2.weight" ? t with { Shape = [64, 10] } : t));
        Assert.Contains($"layout fingerprint is 0x{Layout.Fingerprint:X16} but the expected layout's is 0x{otherShape.Fingerprint:X16}", Rejected(payload, otherShape));
        var fingerprintOffset = TestData.TensorCountOffset(payload) + 4;
        payload[fingerprintOffset] ^= 1;
        Assert.Contains("the update was encoded for another model", Rejected(TestData.WithValidChecksum(payload)));
        Assert.Contains("tensor count is 5 but the expected layout has 4", Rejected(ValidPayload(), new ModelLayout(Layout.Take(4))));
    }

    [Fact]
    public void Wrong_layout_is_rejected_in_version_1()
    {
        var payload = ValidPayload(wireVersion: 1);
        var otherShape = new ModelLayout(Layout.Select(t => t.Name == "fc2.weight" ? t with { Shape = [64, 10] } : t));
        Assert.Contains("tensor 4 'fc2.weight' has shape [10,64] but the expected layout has [64,10]", Rejected(payload, otherShape));
        var otherName = new ModelLayout(Layout.Select(t => t.Name == "fc1.bias" ? t with { Name = "fc1.b" } : t));
        Assert.Contains("tensor 3 is named 'fc1.bias' but the expected layout has 'fc1.b'", Rejected(payload, otherName));
        var fewer = new ModelLayout(Layout.Take(4));
        Assert.Contains("tensor count is 5 but the expected layout has 4", Rejected(payload, fewer));
    }

    [Fact]
    public void Lying_body_length_is_rejected()
    {
        var payload = ValidPayload();
        var offset = TestData.BodyLengthOffset(payload, Layout, 2);
        var lying = (byte[])payload.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(lying.AsSpan(offset), BinaryPrimitives.ReadUInt32LittleEndian(lying.AsSpan(offset)) + 1);
        Assert.Contains("body lengths add up to", Rejected(TestData.WithValidChecksum(lying)));
        BinaryPrimitives.WriteUInt32LittleEndian(lying.AsSpan(offset), uint.MaxValue);
        Assert.Contains("body length is 4294967295 bytes but only", Rejected(TestData.WithValidChecksum(lying)));

        // Whole tensors go as float16 beside a lossy chain and as float32 beside a lossless one.
        var halves = (byte[])payload.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(halves.AsSpan(TestData.BodyLengthOffset(payload, Layout, 1)), 4);
        Assert.Contains("dense float16 of 8 elements, so its body must be 16 bytes, not 4", Rejected(TestData.WithValidChecksum(halves)));
        var exact = ValidPayload("none");
        BinaryPrimitives.WriteUInt32LittleEndian(exact.AsSpan(TestData.BodyLengthOffset(exact, Layout, 1)), 4);
        Assert.Contains("dense float32 of 8 elements, so its body must be 32 bytes, not 4", Rejected(TestData.WithValidChecksum(exact)));
    }

    [Fact]
    public void Unknown_tensor_encoding_is_rejected()
    {
        var payload = ValidPayload();
        var encodingOffset = TestData.BodyLengthOffset(payload, Layout, 0) - 1;
        Assert.Equal(2, payload[encodingOffset]);
        var unknown = (byte[])payload.Clone();
        unknown[encodingOffset] = 4;
        Assert.Contains("tensor 0 encoding is 4; allowed are 0 (dense float32), 1 (codec chain), 2 (dense float16) and 3 (the spec's whole= coder)",
            Rejected(TestData.WithValidChecksum(unknown)));
        payload[encodingOffset] = 3;
        Assert.Contains("encoding 3 names the spec's whole= coder, but spec 'topk:0.1>q:4' has no such clause", Rejected(TestData.WithValidChecksum(payload)));
    }

    [Fact]
    public void Huge_counts_are_rejected_before_anything_is_sized_by_them()
    {
        var payload = ValidPayload();
        var hugeTensors = (byte[])payload.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(hugeTensors.AsSpan(TestData.TensorCountOffset(payload)), uint.MaxValue);
        Assert.Contains("tensor count is 4294967295", Rejected(TestData.WithValidChecksum(hugeTensors)));
        Assert.Throws<WireFormatException>(() => UpdateDecoder.ReadCodecSpec(hugeTensors));

        // fc1.weight (4608 elements, top 10%) is the first compressed body; its first field is the index count.
        var hugeIndices = (byte[])payload.Clone();
        var fc1Body = TestData.BodiesOffset(payload, Layout) + (288 + 8) * 2;
        Assert.Equal(461u, BinaryPrimitives.ReadUInt32LittleEndian(hugeIndices.AsSpan(fc1Body)));
        BinaryPrimitives.WriteUInt32LittleEndian(hugeIndices.AsSpan(fc1Body), 2_000_000_000);
        Assert.Contains("tensor 2 'fc1.weight' body: index count is 2000000000 but at most 461 is possible here", Rejected(TestData.WithValidChecksum(hugeIndices)));

        var firstVersion = ValidPayload(wireVersion: 1);
        var hugeName = (byte[])firstVersion.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(hugeName.AsSpan(TestData.TensorCountOffset(firstVersion) + 4), ushort.MaxValue);
        Assert.Contains("tensor 0 name needs 65535 bytes", Rejected(TestData.WithValidChecksum(hugeName)));
    }

    [Fact]
    public void Bad_codec_spec_in_header_is_rejected()
    {
        var payload = ValidPayload("q:4");
        var bad = (byte[])payload.Clone();
        Encoding.ASCII.GetBytes("z:4").CopyTo(bad, 18);
        var message = Rejected(TestData.WithValidChecksum(bad));
        Assert.Contains("header codec spec: codec 'z:4': stage 1 'z:4': unknown stage 'z'", message);
    }

    [Fact]
    public void Trailing_bytes_are_rejected()
    {
        var payload = ValidPayload();
        Assert.Contains("body lengths add up to", Rejected(TestData.WithValidChecksum([.. payload, 0, 0, 0, 0])));
    }

    [Fact]
    public void Corrupt_quantizer_scale_is_rejected()
    {
        var payload = ValidPayload("q:8");
        var fc1Body = TestData.BodiesOffset(payload, Layout) + (288 + 8) * 2;
        BinaryPrimitives.WriteSingleLittleEndian(payload.AsSpan(fc1Body), float.NaN);
        Assert.Contains("quantizer step is NaN; it must be finite", Rejected(TestData.WithValidChecksum(payload)));
    }

    [Fact]
    public void Low_rank_body_with_another_rank_is_rejected()
    {
        var payload = ValidPayload("lowrank:3>q:8");
        // conv.weight and conv.bias go whole as float16; fc1.weight (64 x 72) is the first coded tensor.
        var fc1Body = TestData.BodiesOffset(payload, Layout) + (288 + 8) * 2;
        Assert.Equal(3, payload[fc1Body]);
        payload[fc1Body] = 200;
        Assert.Contains("low-rank rank is 200 but lowrank:3 of a 64 x 72 matrix has rank 3", Rejected(TestData.WithValidChecksum(payload)));
    }

    [Fact]
    public void Low_rank_factors_cut_short_are_rejected()
    {
        var payload = ValidPayload("lowrank:3");
        var fc1Body = TestData.BodiesOffset(payload, Layout) + (288 + 8) * 2;
        var lengthField = TestData.BodyLengthOffset(payload, Layout, 2);
        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(lengthField));
        // The rank byte, then 3 x 64 and 3 x 72 float32 factors; drop the last float and shorten the declared length to match.
        Assert.Equal(1 + 4 * 3 * (64 + 72), length);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(lengthField), (uint)(length - 4));
        byte[] shortened = [.. payload.AsSpan(0, fc1Body + length - 4), .. payload.AsSpan(fc1Body + length)];
        Assert.Contains("float32 values needs 864 bytes but only 860 remain", Rejected(TestData.WithValidChecksum(shortened)));
    }
}
