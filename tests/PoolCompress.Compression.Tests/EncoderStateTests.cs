namespace PoolCompress.Compression.Tests;

/// <summary>An encoder's state saved and restored into a fresh encoder continues exactly as the encoder kept in memory.</summary>
public class EncoderStateTests
{
    [Theory]
    [InlineData("topk:0.02>q:4", 0.0)]
    [InlineData("topk:0.05:global>ternary", 0.9)]
    [InlineData("lowrank:2>q:8", 0.0)]
    [InlineData("pool:2>lowrank:1", 0.5)]
    public void A_restored_encoder_sends_the_same_bytes_and_keeps_the_same_residual(string spec, double momentum)
    {
        var layout = TestData.SmallModel();
        var options = new UpdateEncoderOptions { DenseBelowElements = 100, Momentum = momentum };
        var kept = new UpdateEncoder(layout, CodecSpec.Parse(spec), options);
        byte[]? saved = null;
        for (var round = 0; round < 5; round++)
        {
            var update = TestData.Gaussian(layout.TotalLength, seed: 300 + round);
            var restored = new UpdateEncoder(layout, CodecSpec.Parse(spec), options);
            if (saved is not null) restored.RestoreState(new MemoryStream(saved));

            Assert.Equal(kept.Encode(update, (ulong)round), restored.Encode(update, (ulong)round));
            Assert.Equal(Bits(kept.Residual), Bits(restored.Residual));
            var stream = new MemoryStream();
            restored.SaveState(stream);
            saved = stream.ToArray();
        }
        Assert.Contains(Bits(kept.Residual), bits => bits != 0);
    }

    [Fact]
    public void State_saved_for_another_layout_or_cut_short_is_refused_with_a_reason()
    {
        var spec = CodecSpec.Parse("topk:0.02>q:4");
        var encoder = new UpdateEncoder(TestData.SmallModel(), spec);
        encoder.Encode(TestData.Gaussian(TestData.SmallModel().TotalLength, seed: 1));
        var stream = new MemoryStream();
        encoder.SaveState(stream);
        byte[] saved = stream.ToArray();

        var other = new UpdateEncoder(TestData.Single(20, 50), spec);
        Assert.Contains("residual", Assert.Throws<InvalidDataException>(() => other.RestoreState(new MemoryStream(saved))).Message);
        var fresh = new UpdateEncoder(TestData.SmallModel(), spec);
        Assert.Contains("ends early", Assert.Throws<InvalidDataException>(() => fresh.RestoreState(new MemoryStream(saved[..^8]))).Message);
        Assert.Contains("not an update encoder", Assert.Throws<InvalidDataException>(() => fresh.RestoreState(new MemoryStream(new byte[64]))).Message);
    }

    private static int[] Bits(ReadOnlySpan<float> values)
    {
        var bits = new int[values.Length];
        for (var i = 0; i < values.Length; i++) bits[i] = BitConverter.SingleToInt32Bits(values[i]);
        return bits;
    }
}
