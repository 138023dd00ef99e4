namespace PoolCompress.Compression.Tests;

public class DenseRoundTripTests
{
    [Fact]
    public void None_is_bit_exact_including_special_values()
    {
        var layout = TestData.SmallModel();
        var update = TestData.Gaussian(layout.TotalLength, seed: 1);
        update[0] = float.NaN;
        update[1] = -0f;
        update[2] = float.PositiveInfinity;
        update[3] = float.Epsilon;
        update[4] = BitConverter.UInt32BitsToSingle(0xFFC0_1234); // NaN with a payload
        var decoded = TestData.RoundTrip(layout, "none", update);
        Assert.Equal(update.Select(BitConverter.SingleToUInt32Bits), decoded.Select(BitConverter.SingleToUInt32Bits));
    }

    [Fact]
    public void None_payload_is_the_float32_bytes_plus_header_and_checksum()
    {
        var layout = TestData.Single(100, 100);
        var payload = new UpdateEncoder(layout, CodecSpec.None).Encode(new float[10_000]);
        Assert.InRange(payload.Length, 40_000, 40_000 + 64);
    }

    [Fact]
    public void Small_tensors_and_biases_go_whole_as_float16_beside_a_lossy_codec()
    {
        var layout = TestData.SmallModel();
        var update = TestData.Gaussian(layout.TotalLength, seed: 2);
        var decoded = TestData.RoundTrip(layout, "topk:0.01>q:2", update, options: new UpdateEncoderOptions());
        foreach (var name in new[] { "conv.bias", "fc1.bias", "fc2.weight", "conv.weight" })
        {
            var index = layout.ToList().FindIndex(t => t.Name == name);
            var range = new Range(layout.OffsetOf(index), layout.OffsetOf(index) + layout[index].Length);
            Assert.Equal(update[range].Select(x => (float)(Half)x), decoded[range]);
        }
        var fc1 = layout.OffsetOf(2);
        Assert.NotEqual(update[fc1..(fc1 + layout[2].Length)], decoded[fc1..(fc1 + layout[2].Length)]);
    }

    [Fact]
    public void A_whole_clause_codes_small_tensors_and_biases_with_its_coder()
    {
        var layout = TestData.SmallModel();
        var update = TestData.Gaussian(layout.TotalLength, seed: 3);
        var halves = new UpdateEncoder(layout, CodecSpec.Parse("topk:0.01>q:2")).Encode(update);
        var eightBit = new UpdateEncoder(layout, CodecSpec.Parse("topk:0.01>q:2;whole=q:8")).Encode(update);
        var decoded = new float[layout.TotalLength];
        UpdateDecoder.Decode(eightBit, layout, decoded);
        foreach (var name in new[] { "conv.bias", "fc1.bias", "fc2.weight", "conv.weight" })
        {
            var index = layout.ToList().FindIndex(t => t.Name == name);
            var range = new Range(layout.OffsetOf(index), layout.OffsetOf(index) + layout[index].Length);
            var step = update[range].Max(Math.Abs) / 127;
            Assert.All(update[range].Zip(decoded[range]), pair => Assert.InRange(pair.Second - pair.First, -step, step));
            Assert.NotEqual(update[range].Select(x => (float)(Half)x), decoded[range]);
        }
        var wholeValues = new[] { "conv.bias", "fc1.bias", "fc2.weight", "conv.weight" }.Sum(n => layout.First(t => t.Name == n).Length);
        Assert.InRange(halves.Length - eightBit.Length, wholeValues - 64, wholeValues);
        Assert.Equal("topk:0.01>q:2;whole=q:8", UpdateDecoder.ReadCodecSpec(eightBit));
    }

    [Fact]
    public void Codec_spec_is_readable_from_the_header()
    {
        var payload = new UpdateEncoder(TestData.SmallModel(), CodecSpec.Parse("pool:2x2 > topk:0.5 > q:4:asym")).Encode(new float[TestData.SmallModel().TotalLength]);
        Assert.Equal("pool:2x2>topk:0.5>q:4:asym", UpdateDecoder.ReadCodecSpec(payload));
    }

    [Fact]
    public void Layout_offsets_and_total_follow_the_shapes()
    {
        var layout = TestData.SmallModel();
        Assert.Equal([0, 288, 296, 296 + 4608, 296 + 4608 + 64], Enumerable.Range(0, layout.Count).Select(layout.OffsetOf));
        Assert.Equal(296 + 4608 + 64 + 640, layout.TotalLength);
        Assert.Equal(new TensorInfo("a", [2, 3]), new TensorInfo("a", [2, 3]));
        Assert.Throws<ArgumentException>(() => new TensorInfo("a", [-1, 3]));
        Assert.Throws<ArgumentException>(() => new ModelLayout([new TensorInfo("a", [1]), new TensorInfo("a", [2])]));
    }
}
