namespace PoolCompress.Compression.Tests;

public class CodecSpecTests
{
    [Theory]
    [InlineData("none", "none")]
    [InlineData("topk:0.01>q:4", "topk:0.01>q:4")]
    [InlineData(" pool:4 > q:8 ", "pool:4>q:8")]
    [InlineData("pool:1x4>q:8", "pool:4>q:8")]
    [InlineData("topk:0.0025>ternary", "topk:0.0025>ternary")]
    [InlineData("q:2:stochastic:block=64:asym", "q:2:block=64:asym:stochastic")]
    [InlineData("randk:1>bf16", "randk:1>bf16")]
    [InlineData("threshold:1e-3>fp16", "threshold:0.001>fp16")]
    [InlineData("topk:0.1", "topk:0.1")]
    [InlineData("topk:5e-3:global>ternary", "topk:0.005:global>ternary")]
    [InlineData("lowrank:4>q:8", "lowrank:4>q:8")]
    [InlineData("pool:2>lowrank:01", "pool:2>lowrank:1")]
    [InlineData("topk:0.0025:global:momentum=0.90:warmup=4>ternary", "topk:0.0025:global:warmup=4:momentum=0.9>ternary")]
    [InlineData("topk:0.01:global:warmup=2", "topk:0.01:global:warmup=2")]
    [InlineData("topk:0.002:global:momentum=0.9:from=8e-3:warmup=3>ternary", "topk:0.002:global:warmup=3:from=0.008:momentum=0.9>ternary")]
    [InlineData("topk:0.002:global:warmup=3:from=1", "topk:0.002:global:warmup=3")]
    [InlineData("topk:0.0025:global>ternary ; whole=q:4:stochastic", "topk:0.0025:global>ternary;whole=q:4:stochastic")]
    [InlineData("lowrank:2>q:8;whole=fp16", "lowrank:2>q:8;whole=fp16")]
    [InlineData("topk:0.02:global>q:4 ; predict=0.50 ; whole=q:4", "topk:0.02:global>q:4;whole=q:4;predict=0.5")]
    [InlineData("topk:0.02:global>q:4;predict=0", "topk:0.02:global>q:4")]
    [InlineData("topk:0.002:global>ternary ; whole= chain", "topk:0.002:global>ternary;whole=chain")]
    public void Parses_to_canonical_text(string spec, string canonical)
    {
        Assert.Equal(canonical, CodecSpec.Parse(spec).Text);
        Assert.Equal(canonical, CodecSpec.Parse(canonical).Text);
    }

    [Fact]
    public void A_prediction_clause_names_no_stage_and_gives_its_factor()
    {
        var spec = CodecSpec.Parse("topk:0.02:global>q:4;whole=ternary;predict=0.5");

        Assert.Equal(["topk", "q", "ternary"], spec.StagesUsed);
        Assert.Equal(0.5f, spec.Prediction);
        Assert.Equal(0f, CodecSpec.Parse("topk:0.02:global>q:4").Prediction);
    }

    [Fact]
    public void Without_a_prediction_the_predicted_model_is_the_published_one_bit_for_bit()
    {
        float[] published = [-0f, 1.5f, float.Epsilon, -3f];
        float[] velocity = [0f, 2f, 1f, -1f];
        var predicted = new float[published.Length];

        DownlinkPrediction.Predict(published, velocity, 0, predicted);
        Assert.Equal(published.Select(BitConverter.SingleToInt32Bits), predicted.Select(BitConverter.SingleToInt32Bits));

        DownlinkPrediction.Predict(published, velocity, 0.5f, predicted);
        Assert.Equal([0f, 2.5f, 0.5f, -3.5f], predicted);
    }

    [Theory]
    [InlineData("topk:2>q:4", "codec 'topk:2>q:4': stage 1 'topk:2': FRACTION must be in (0,1]")]
    [InlineData("topk:0>q:4", "stage 1 'topk:0': FRACTION must be in (0,1]")]
    [InlineData("topk:NaN", "FRACTION must be in (0,1]")]
    [InlineData("q:0", "stage 1 'q:0': BITS must be an integer from 1 to 16")]
    [InlineData("q:17", "BITS must be an integer from 1 to 16")]
    [InlineData("q:4:block=0", "block size must be a positive integer")]
    [InlineData("q:4:asym:asym", "unknown or repeated option 'asym'")]
    [InlineData("q:4:fancy", "unknown or repeated option 'fancy'")]
    [InlineData("zip", "unknown stage 'zip'; allowed stages are none, fp16, bf16, q, ternary, topk, randk, threshold, pool, lowrank")]
    [InlineData("", "the spec is empty")]
    [InlineData("topk:0.01>q:4;whole=topk:0.1", "clause 'whole=topk:0.1': tensors sent whole are coded by a value coder (none, fp16, bf16, q, ternary) or 'chain', not 'topk:0.1'")]
    [InlineData("topk:0.01>q:4;whole=q:0", "clause 'whole=q:0': BITS must be an integer from 1 to 16")]
    [InlineData("topk:0.01>q:4;whole", "clause 'whole' is unknown or repeated; after the chain come at most 'whole=CODER' and 'predict=FACTOR', once each")]
    [InlineData("topk:0.01>q:4;whole=q:8;whole=q:8", "clause 'whole=q:8' is unknown or repeated")]
    [InlineData("topk:0.01>q:4;predict=0.5;predict=0.5", "clause 'predict=0.5' is unknown or repeated")]
    [InlineData("topk:0.01>q:4;predict=1", "clause 'predict=1': FACTOR must be a number in [0, 1)")]
    [InlineData("topk:0.01>q:4;predict=-0.1", "FACTOR must be a number in [0, 1)")]
    [InlineData("topk:0.01>q:4;predict=NaN", "FACTOR must be a number in [0, 1)")]
    [InlineData("none;whole=q:8", "beside the lossless 'none' everything goes as exact float32")]
    [InlineData("none;whole=chain", "beside the lossless 'none' everything goes as exact float32")]
    [InlineData("pool:2>topk:0.1>q:4;whole=chain", "'whole=chain' sends biases through the chain, and a chain that pools rows or factors matrices (pool, lowrank) cannot code a vector")]
    [InlineData("lowrank:2>q:8;whole=chain", "cannot code a vector")]
    [InlineData("topk:0.1>>q:4", "stage 2 '': unknown stage ''")]
    [InlineData("q:4>topk:0.1", "stage 1 'q:4': a value coder (none, fp16, bf16, q, ternary) must be the last stage")]
    [InlineData("topk:0.1>pool:4", "stage 2 'pool:4': pool must come before any sparsifier")]
    [InlineData("pool:2>topk:0.1:global", "stage 2 'topk:0.1:global': a global top-k selects across the whole update and must be the first stage")]
    [InlineData("topk:0.1:everywhere", "expected topk:FRACTION or topk:FRACTION:global")]
    [InlineData("topk:0.1:warmup=4", "expected topk:FRACTION or topk:FRACTION:global, then optional :warmup=N, :from=D, :momentum=M")]
    [InlineData("topk:0.1:global:warmup=2:from=0.1", "'from=0.1': D must be above FRACTION and at most 1")]
    [InlineData("topk:0.1:global:warmup=2:from=1.5", "'from=1.5': D must be above FRACTION and at most 1")]
    [InlineData("topk:0.1:global:warmup=2:from=NaN", "'from=NaN': D must be above FRACTION and at most 1")]
    [InlineData("topk:0.1:global:from=0.5", "'from=0.5' needs :warmup=N")]
    [InlineData("topk:0.1:global:warmup=0", "'warmup=0': N must be an integer from 1 to 1000")]
    [InlineData("topk:0.1:global:momentum=1", "'momentum=1': M must be in (0,1)")]
    [InlineData("topk:0.1:global:warmup=2:warmup=3", "unknown or repeated option 'warmup=3'")]
    [InlineData("pool:0", "expected pool:W")]
    [InlineData("pool:2x3x4", "expected pool:W")]
    [InlineData("threshold:-1", "T must be a finite number > 0")]
    [InlineData("fp16:3", "'fp16' takes no arguments")]
    [InlineData("lowrank:0", "expected lowrank:R with the rank R an integer from 1 to 255")]
    [InlineData("lowrank:256>q:8", "expected lowrank:R")]
    [InlineData("lowrank", "expected lowrank:R")]
    [InlineData("topk:0.1>lowrank:2", "stage 2 'lowrank:2': lowrank must come before any sparsifier")]
    [InlineData("lowrank:2>topk:0.1", "stage 1 'lowrank:2': only a value coder (none, fp16, bf16, q, ternary) may follow lowrank")]
    [InlineData("lowrank:2>lowrank:1", "only a value coder")]
    [InlineData("TOPK:0.1", "unknown stage 'TOPK'")]
    public void Rejects_bad_specs_naming_the_stage_and_what_is_allowed(string spec, string expectedMessagePart)
    {
        var error = Assert.Throws<CodecSpecException>(() => CodecSpec.Parse(spec));
        Assert.Contains(expectedMessagePart, error.Message);
    }

    [Fact]
    public void Lists_every_stage_name()
    {
        Assert.Equal(["none", "fp16", "bf16", "q", "ternary", "topk", "randk", "threshold", "pool", "lowrank"], CodecSpec.StageNames);
        foreach (var name in CodecSpec.StageNames)
        {
            var example = name switch { "q" => "q:8", "topk" or "randk" => $"{name}:0.5", "threshold" => "threshold:0.1", "pool" => "pool:2", "lowrank" => "lowrank:2", _ => name };
            Assert.Equal(example, CodecSpec.Parse(example).Text);
        }
    }
}
