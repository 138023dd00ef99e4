namespace PoolCompress.Compression.Tests;

public class QuantizationTests
{
    [Theory]
    [InlineData(1, false, 0)]
    [InlineData(2, false, 0)]
    [InlineData(3, true, 0)]
    [InlineData(4, false, 256)]
    [InlineData(5, true, 100)]
    [InlineData(8, false, 0)]
    [InlineData(8, true, 64)]
    [InlineData(12, false, 1000)]
    [InlineData(16, true, 0)]
    public void Nearest_rounding_errs_by_at_most_half_a_step(int bits, bool asymmetric, int block)
    {
        var layout = TestData.Single(37, 101);
        var update = TestData.Gaussian(layout.TotalLength, seed: bits * 31 + block);
        for (var i = 0; i < update.Length; i += 7) update[i] = MathF.Abs(update[i]) + 0.5f; // skew, so asym differs from sym
        var spec = $"q:{bits}" + (block > 0 ? $":block={block}" : "") + (asymmetric ? ":asym" : "");
        var decoded = TestData.RoundTrip(layout, spec, update);

        var blockLength = block == 0 ? update.Length : block;
        for (var start = 0; start < update.Length; start += blockLength)
        {
            var values = update.AsSpan(start, Math.Min(blockLength, update.Length - start));
            var step = StepOf(values, bits, asymmetric);
            var magnitude = values.ToArray().Max(MathF.Abs);
            for (var i = 0; i < values.Length; i++)
                Assert.True(MathF.Abs(values[i] - decoded[start + i]) <= step / 2 * 1.0001f + magnitude * 1e-6f,
                    $"element {start + i}: {values[i]} decoded as {decoded[start + i]}, step {step}");
        }
    }

    [Fact]
    public void Zero_is_exact_and_an_all_zero_block_decodes_to_zero()
    {
        var layout = TestData.Single(4, 64);
        var update = TestData.Gaussian(layout.TotalLength, seed: 3);
        update.AsSpan(0, 64).Clear();
        update[100] = 0;
        foreach (var spec in new[] { "q:4:block=64", "q:3:block=64:asym", "q:8:block=64:stochastic" })
        {
            var decoded = TestData.RoundTrip(layout, spec, update);
            Assert.All(decoded[..64], v => Assert.Equal(0f, v));
            Assert.Equal(0f, decoded[100]);
        }
    }

    [Fact]
    public void Stochastic_rounding_is_unbiased()
    {
        // Values sit 0.3 of a step above a level, where nearest rounding would be biased by -0.3 step.
        const float step = 0.01f;
        var layout = TestData.Single(1, 202);
        var update = new float[202];
        update[0] = 127 * step; // fixes the symmetric 8-bit step at max/127 = 0.01
        for (var i = 1; i < update.Length; i++) update[i] = (i - 101 + 0.3f) * step;

        const int trials = 300;
        double errorSum = 0, varianceSum = 0;
        for (var trial = 0; trial < trials; trial++)
        {
            var payload = new UpdateEncoder(layout, CodecSpec.Parse("q:8:stochastic"), TestData.AllCompressed(errorFeedback: false)).Encode(update, (ulong)trial);
            var decoded = new float[update.Length];
            UpdateDecoder.Decode(payload, layout, decoded);
            for (var i = 1; i < update.Length; i++)
            {
                var error = (double)decoded[i] - update[i];
                Assert.True(Math.Abs(error) < step * 1.001, $"stochastic rounding moved {update[i]} by {error}, more than a step");
                errorSum += error;
                var fraction = update[i] / step - Math.Floor(update[i] / step);
                varianceSum += fraction * (1 - fraction) * step * step;
            }
        }
        // Independent Bernoulli roundings: the summed error has standard deviation sqrt(sum of variances).
        Assert.True(Math.Abs(errorSum) < 5 * Math.Sqrt(varianceSum), $"summed error {errorSum} exceeds 5 sigma ({5 * Math.Sqrt(varianceSum)})");
    }

    [Fact]
    public void Stochastic_rounding_depends_on_the_seed_and_is_reproducible()
    {
        var layout = TestData.Single(16, 64);
        var update = TestData.Gaussian(layout.TotalLength, seed: 4);
        var options = TestData.AllCompressed(errorFeedback: false);
        byte[] Encode(ulong seed) => new UpdateEncoder(layout, CodecSpec.Parse("q:2:stochastic"), options).Encode(update, seed);
        Assert.Equal(Encode(1), Encode(1));
        Assert.NotEqual(Encode(1), Encode(2));
    }

    [Theory]
    [InlineData("fp16", 1.0f / 2048)]
    [InlineData("bf16", 1.0f / 256)]
    public void Float_casts_keep_relative_error_within_half_an_ulp(string spec, float halfUlp)
    {
        var layout = TestData.Single(32, 32);
        var update = TestData.Gaussian(layout.TotalLength, seed: 5);
        var decoded = TestData.RoundTrip(layout, spec, update);
        for (var i = 0; i < update.Length; i++)
            Assert.True(MathF.Abs(update[i] - decoded[i]) <= MathF.Abs(update[i]) * halfUlp, $"{update[i]} -> {decoded[i]}");
    }

    [Fact]
    public void Bf16_keeps_range_that_fp16_loses()
    {
        var layout = TestData.Single(1, 4);
        float[] update = [1e6f, -3e38f, float.NaN, 1e-30f];
        var bf16 = TestData.RoundTrip(layout, "bf16", update);
        Assert.Equal(1e6f, bf16[0], 1e6f / 256);
        Assert.True(float.IsFinite(bf16[1]) && float.IsNaN(bf16[2]) && bf16[3] > 0);
        Assert.True(float.IsInfinity(TestData.RoundTrip(layout, "fp16", update)[0]));
    }

    [Fact]
    public void Ternary_after_topk_sends_plus_or_minus_the_mean_magnitude()
    {
        var layout = TestData.Single(50, 40);
        var update = TestData.Gaussian(layout.TotalLength, seed: 6);
        var decoded = TestData.RoundTrip(layout, "topk:0.05>ternary", update);
        var kept = decoded.Select((v, i) => (v, i)).Where(p => p.v != 0).ToArray();
        Assert.Equal(100, kept.Length);
        var mu = kept.Average(p => MathF.Abs(update[p.i]));
        Assert.All(kept, p => Assert.Equal(MathF.CopySign((float)mu, update[p.i]), p.v, 1e-5f));
    }

    [Fact]
    public void Ternary_on_dense_input_keeps_zeros()
    {
        var layout = TestData.Single(3, 7);
        var update = TestData.Gaussian(layout.TotalLength, seed: 7);
        update[5] = 0;
        var decoded = TestData.RoundTrip(layout, "ternary", update);
        var mu = update.Where(v => v != 0).Average(MathF.Abs);
        Assert.Equal(0f, decoded[5]);
        Assert.All(decoded.Where((_, i) => i != 5), v => Assert.Equal((float)mu, MathF.Abs(v), 1e-5f));
    }

    private static float StepOf(ReadOnlySpan<float> values, int bits, bool asymmetric)
    {
        var array = values.ToArray();
        if (asymmetric) return (Math.Max(array.Max(), 0) - Math.Min(array.Min(), 0)) / ((1 << bits) - 1);
        var magnitude = array.Max(MathF.Abs);
        return bits == 1 ? 2 * magnitude : magnitude / ((1 << (bits - 1)) - 1);
    }
}
