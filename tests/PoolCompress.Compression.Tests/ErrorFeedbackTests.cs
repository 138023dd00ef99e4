namespace PoolCompress.Compression.Tests;

public class ErrorFeedbackTests
{
    [Theory]
    [InlineData("topk:0.02>q:4")]
    [InlineData("topk:0.05:global>ternary")]
    [InlineData("randk:0.05>ternary")]
    [InlineData("pool:2x2>q:2:stochastic")]
    [InlineData("threshold:1.5>bf16")]
    [InlineData("lowrank:2>q:8")]
    [InlineData("pool:2>lowrank:1")]
    [InlineData("topk:0.05:global>ternary;whole=q:4")]
    [InlineData("topk:0.05:global>ternary;whole=chain")]
    public void What_was_sent_plus_the_residual_equals_the_sum_of_the_updates(string spec)
    {
        var layout = TestData.SmallModel();
        var encoder = new UpdateEncoder(layout, CodecSpec.Parse(spec), new UpdateEncoderOptions { DenseBelowElements = 100 });
        var trueSum = new double[layout.TotalLength];
        var sentSum = new double[layout.TotalLength];
        var decoded = new float[layout.TotalLength];
        for (var round = 0; round < 20; round++)
        {
            var update = TestData.Gaussian(layout.TotalLength, seed: 100 + round);
            UpdateDecoder.Decode(encoder.Encode(update, (ulong)round), layout, decoded);
            for (var i = 0; i < update.Length; i++)
            {
                trueSum[i] += update[i];
                sentSum[i] += decoded[i];
            }
        }
        var residual = encoder.Residual;
        Assert.Equal(layout.TotalLength, residual.Length);
        for (var i = 0; i < trueSum.Length; i++)
            Assert.True(Math.Abs(sentSum[i] + residual[i] - trueSum[i]) < 1e-4, $"element {i}: sent {sentSum[i]} + residual {residual[i]} != {trueSum[i]}");
    }

    [Fact]
    public void Through_the_chain_a_bias_is_sent_only_where_it_moved_most_and_keeps_the_rest()
    {
        var layout = TestData.SmallModel();
        var update = TestData.Gaussian(layout.TotalLength, seed: 5, scale: 0.01f);
        var biasStart = layout[0].Length;
        update.AsSpan(biasStart, layout[1].Length).Fill(1e-4f);
        update[biasStart + 3] = 5f;
        var wholeSpec = CodecSpec.Parse("topk:0.02:global>ternary;whole=q:4");
        var chainSpec = CodecSpec.Parse("topk:0.02:global>ternary;whole=chain");
        var encoder = new UpdateEncoder(layout, chainSpec);
        var payload = encoder.Encode(update);
        var decoded = new float[layout.TotalLength];
        UpdateDecoder.Decode(payload, layout, decoded);

        Assert.NotEqual(0f, decoded[biasStart + 3]);
        var biasKept = decoded.AsSpan(biasStart, layout[1].Length).ToArray().Count(v => v != 0);
        Assert.Equal(1, biasKept);
        Assert.Equal(update[biasStart], encoder.Residual[biasStart]);
        Assert.True(payload.Length < new UpdateEncoder(layout, wholeSpec).Encode(update).Length);
    }

    [Fact]
    public void Without_error_feedback_nothing_is_kept()
    {
        var layout = TestData.Single(20, 50);
        var encoder = new UpdateEncoder(layout, CodecSpec.Parse("topk:0.01"), TestData.AllCompressed(errorFeedback: false));
        var update = TestData.Gaussian(layout.TotalLength, seed: 11);
        var first = encoder.Encode(update);
        Assert.Equal(first, encoder.Encode(update));
        Assert.True(encoder.Residual.IsEmpty);
    }

    [Fact]
    public void Residual_carries_small_elements_until_they_are_sent()
    {
        var (encoder, update, decode) = KeepOneInAThousand(momentum: 0);
        update[10] = 1f;
        update[20] = 0.6f;
        var decoded = decode();
        Assert.Equal(1f, decoded[10]);
        Assert.Equal(0.6f, encoder.Residual[20]);
        update[10] = 0.5f; // 0.6 + 0.6 now beats 0.5
        decoded = decode();
        Assert.Equal(1.2f, decoded[20]);
        Assert.Equal(0.5f, encoder.Residual[10]);
    }

    [Fact]
    public void Momentum_correction_accumulates_velocity_and_masks_what_was_sent()
    {
        var (encoder, update, decode) = KeepOneInAThousand(momentum: 0.5);
        update[1] = 1f;
        update[2] = 0.9f;
        var decoded = decode();
        Assert.Equal(1f, decoded[1]);
        // Element 2: velocity 0.5*0.9 + 0.9 = 1.35, accumulated onto 0.9 = 2.25; element 1's velocity was masked to 0, so it sends 1.
        decoded = decode();
        Assert.Equal(2.25f, decoded[2], 1e-6f);
        Assert.Equal(1f, encoder.Residual[1], 1e-6f);
    }

    // warmup=2: 0.01^(1/3), 0.01^(2/3), then 0.01 of 10,000 elements; from=0.04: 0.04·0.25^(1/3), 0.04·0.25^(2/3), then 0.01.
    [Theory]
    [InlineData("topk:0.01:global:warmup=2", new[] { 2155, 465, 100, 100 })]
    [InlineData("topk:0.01:global:warmup=2:from=0.04", new[] { 252, 159, 100, 100 })]
    public void Sparsity_warm_up_keeps_a_geometrically_falling_share_of_each_update_until_it_reaches_the_fraction(string spec, int[] expected)
    {
        var layout = TestData.Single(100, 100);
        var encoder = new UpdateEncoder(layout, CodecSpec.Parse(spec), TestData.AllCompressed(errorFeedback: false));
        var kept = Enumerable.Range(0, 4).Select(round =>
        {
            var decoded = new float[layout.TotalLength];
            UpdateDecoder.Decode(encoder.Encode(TestData.Gaussian(layout.TotalLength, seed: round)), layout, decoded);
            return decoded.Count(v => v != 0);
        }).ToArray();

        Assert.Equal(expected, kept);
    }

    [Fact]
    public void An_encoder_built_for_each_update_follows_the_warm_up_from_the_updates_sent_before_it()
    {
        var layout = TestData.Single(100, 100);
        var kept = Enumerable.Range(0, 4).Select(prior =>
        {
            var options = new UpdateEncoderOptions { DenseBelowElements = 0, ErrorFeedback = false, PriorUpdates = prior };
            var decoded = TestData.RoundTrip(layout, "topk:0.01:global:warmup=2", TestData.Gaussian(layout.TotalLength, seed: prior), options: options);
            return decoded.Count(v => v != 0);
        }).ToArray();

        Assert.Equal(new[] { 2155, 465, 100, 100 }, kept);
    }

    [Fact]
    public void A_negative_count_of_prior_updates_is_refused()
    {
        var options = new UpdateEncoderOptions { PriorUpdates = -1 };

        Assert.Throws<ArgumentOutOfRangeException>(() => new UpdateEncoder(TestData.Single(10, 10), CodecSpec.Parse("topk:0.1:global"), options));
    }

    [Fact]
    public void Momentum_in_the_spec_corrects_like_the_encoder_option()
    {
        var layout = TestData.Single(100, 100);
        var fromSpec = new UpdateEncoder(layout, CodecSpec.Parse("topk:0.01:global:momentum=0.5"), TestData.AllCompressed());
        var fromOption = new UpdateEncoder(layout, CodecSpec.Parse("topk:0.01:global"), TestData.AllCompressed(momentum: 0.5));
        var plain = new UpdateEncoder(layout, CodecSpec.Parse("topk:0.01:global"), TestData.AllCompressed());
        for (var round = 0; round < 3; round++)
        {
            var update = TestData.Gaussian(layout.TotalLength, seed: round);
            fromSpec.Encode(update);
            fromOption.Encode(update);
            plain.Encode(update);
        }

        Assert.Equal(fromOption.Residual.ToArray(), fromSpec.Residual.ToArray());
        Assert.NotEqual(plain.Residual.ToArray(), fromSpec.Residual.ToArray());
    }

    [Fact]
    public void Lossless_codec_keeps_no_state()
    {
        var layout = TestData.Single(10, 10);
        var encoder = new UpdateEncoder(layout, CodecSpec.None);
        encoder.Encode(TestData.Gaussian(100, seed: 12));
        Assert.True(encoder.Residual.IsEmpty);
    }

    /// <summary>An encoder that sends one element in a thousand, the update it encodes, and a function that encodes
    /// that update and returns what the decoder gets.</summary>
    private static (UpdateEncoder Encoder, float[] Update, Func<float[]> Decode) KeepOneInAThousand(double momentum)
    {
        var layout = TestData.Single(1, 1000);
        var encoder = new UpdateEncoder(layout, CodecSpec.Parse("topk:0.001"), TestData.AllCompressed(momentum: momentum));
        var update = new float[1000];
        return (encoder, update, () =>
        {
            var decoded = new float[1000];
            UpdateDecoder.Decode(encoder.Encode(update), layout, decoded);
            return decoded;
        });
    }
}
