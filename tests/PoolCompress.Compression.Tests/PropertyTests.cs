using CsCheck;

namespace PoolCompress.Compression.Tests;

public class PropertyTests
{
    private static readonly Gen<string> ValueCoder = Gen.OneOf(
        Gen.Int[0, 3].Select(i => new[] { "none", "fp16", "bf16", "ternary" }[i]),
        Gen.Select(Gen.Int[1, 16], Gen.Int[0, 3].Select(b => b == 0 ? "" : $":block={1 << (2 * b + 2)}"), Gen.Bool, Gen.Bool,
            (bits, block, asym, stochastic) => $"q:{bits}{block}{(asym ? ":asym" : "")}{(stochastic ? ":stochastic" : "")}"));

    private static readonly Gen<string> Sparsifier = Gen.OneOf(
        Gen.Const(""),
        Gen.Double[0.001, 1].Select(f => $"topk:{f:0.###}>"),
        Gen.Double[0.001, 1].Select(f => $"randk:{f:0.###}>"),
        Gen.Double[0.1, 3].Select(t => $"threshold:{t:0.##}>"));

    private static readonly Gen<string> Pool = Gen.OneOf(Gen.Const(""), Gen.Int[1, 5].Select(w => $"pool:{w}>"), Gen.Select(Gen.Int[1, 4], Gen.Int[1, 4], (h, w) => $"pool:{h}x{w}>"));

    private static readonly Gen<string> Spec = Gen.OneOf(
        Gen.Select(Pool, Sparsifier, ValueCoder, (p, s, v) => p + s + v),
        Gen.Select(Gen.Double[0.001, 1], ValueCoder, (f, v) => $"topk:{f:0.###}:global>{v}"));

    [Fact]
    public void Decoding_gives_exactly_what_the_encoder_did_not_keep_as_residual()
    {
        Gen.Select(Gen.Int[1, 60], Gen.Int[1, 300], Spec, Gen.Int, Gen.ULong)
            .Sample((rows, columns, spec, dataSeed, seed) =>
            {
                var layout = TestData.Single(rows, columns);
                var update = TestData.Gaussian(layout.TotalLength, dataSeed);
                var encoder = new UpdateEncoder(layout, CodecSpec.Parse(spec), TestData.AllCompressed());
                var payload = encoder.Encode(update, seed);
                Assert.Equal(CodecSpec.Parse(spec).Text, UpdateDecoder.ReadCodecSpec(payload));
                var decoded = new float[update.Length];
                UpdateDecoder.Decode(payload, layout, decoded);
                // A lossless chain keeps no residual at all.
                var residual = encoder.Residual.IsEmpty ? new float[update.Length] : encoder.Residual.ToArray();
                for (var i = 0; i < update.Length; i++)
                    Assert.True(MathF.Abs(decoded[i] + residual[i] - update[i]) <= 1e-5f * (1 + MathF.Abs(update[i])), $"{spec} [{rows}x{columns}] element {i}");
            }, iter: 400);
    }

    [Fact]
    public void Quantization_error_is_within_half_a_step_for_any_shape_and_width()
    {
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 200], Gen.Int[1, 16], Gen.Bool, Gen.Int)
            .Sample((rows, columns, bits, asymmetric, dataSeed) =>
            {
                var layout = TestData.Single(rows, columns);
                var update = TestData.Gaussian(layout.TotalLength, dataSeed);
                var decoded = TestData.RoundTrip(layout, $"q:{bits}" + (asymmetric ? ":asym" : ""), update);
                var low = Math.Min(update.Min(), 0);
                var high = Math.Max(update.Max(), 0);
                var magnitude = Math.Max(high, -low);
                var step = asymmetric ? (high - low) / ((1 << bits) - 1) : bits == 1 ? 2 * magnitude : magnitude / ((1 << (bits - 1)) - 1);
                for (var i = 0; i < update.Length; i++)
                    Assert.True(MathF.Abs(update[i] - decoded[i]) <= step / 2 * 1.0001f + magnitude * 1e-6f, $"q:{bits} asym={asymmetric}: {update[i]} -> {decoded[i]}, step {step}");
            }, iter: 300);
    }
}
