using System.Reflection;
using PoolCompress.Compression;
using PoolCompress.Compression.Codecs;

namespace PoolCompress.Plugins.Tests;

/// <summary>
/// A codec stage from a plug-in assembly, loaded by path and registered, is named in specs like a built-in one: the
/// client's encoder and the coordinator's decoder (uplink, with error feedback) and the coordinator's stateless
/// downlink encoder and the client's decoder all use it, and the parser's messages list it.
/// </summary>
public sealed class PluginStageTests
{
    private static readonly string StageAssembly = typeof(PluginStageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "TestStageAssembly").Value!;

    private static readonly ModelLayout Layout = new([new TensorInfo("fc.weight", [32, 48]), new TensorInfo("fc.bias", [32])]);

    public PluginStageTests()
    {
        foreach (var stage in PluginAssembly.Instances<ICodecStageDefinition>(StageAssembly, "codec stage")) CodecStages.Register(stage);
    }

    [Fact]
    public void The_plugin_stage_is_listed_after_the_built_in_ones()
    {
        Assert.Equal(["none", "fp16", "bf16", "q", "ternary", "topk", "randk", "threshold", "pool", "lowrank", "scaledsign"], CodecSpec.StageNames);
        Assert.Equal("topk:0.25>scaledsign;whole=scaledsign", CodecSpec.Parse(" topk:0.25 > scaledsign ;whole= scaledsign").Text);
    }

    [Fact]
    public void An_update_coded_by_the_plugin_stage_decodes_on_the_coordinator_to_what_the_client_subtracted_from_its_residual()
    {
        var update = Uniform(Layout.TotalLength, seed: 5);
        var encoder = new UpdateEncoder(Layout, CodecSpec.Parse("scaledsign"));
        var payload = encoder.Encode(update, seed: 9);

        var decoded = new float[Layout.TotalLength];
        UpdateDecoder.Decode(payload, Layout, decoded);

        Assert.Equal("scaledsign", UpdateDecoder.ReadCodecSpec(payload));
        var weights = update.AsSpan(0, 32 * 48);
        var scale = weights.ToArray().Average(MathF.Abs);
        for (var i = 0; i < weights.Length; i++)
        {
            Assert.Equal(MathF.CopySign(1, weights[i]) * scale, decoded[i], 1e-5f);
            Assert.Equal(update[i] - decoded[i], encoder.Residual[i], 1e-6f);
        }
    }

    [Fact]
    public void A_downlink_difference_coded_by_the_plugin_stage_after_a_built_in_sparsifier_decodes_on_the_client()
    {
        var difference = Uniform(Layout.TotalLength, seed: 6);
        var payload = new UpdateEncoder(Layout, CodecSpec.Parse("topk:0.5>scaledsign"), new UpdateEncoderOptions { ErrorFeedback = false }).Encode(difference, seed: 2);

        var decoded = new float[Layout.TotalLength];
        UpdateDecoder.Decode(payload, Layout, decoded);

        var weights = decoded.AsSpan(0, 32 * 48).ToArray();
        Assert.Equal(32 * 48 / 2, weights.Count(v => v != 0));
        Assert.Single(weights.Where(v => v != 0).Select(MathF.Abs).Distinct());
        Assert.All(Enumerable.Range(0, weights.Length).Where(i => weights[i] != 0), i => Assert.Equal(MathF.Sign(difference[i]), MathF.Sign(weights[i])));
    }

    [Theory]
    [InlineData("scaledsign>topk:0.1", "stage 1 'scaledsign': a value coder (none, fp16, bf16, q, ternary, scaledsign) must be the last stage")]
    [InlineData("zip", "unknown stage 'zip'; allowed stages are none, fp16, bf16, q, ternary, topk, randk, threshold, pool, lowrank, scaledsign")]
    [InlineData("scaledsign:2", "stage 1 'scaledsign:2': 'scaledsign' takes no arguments")]
    public void Refusals_list_the_plugin_stage_among_the_allowed(string spec, string expected)
    {
        var error = Assert.Throws<CodecSpecException>(() => CodecSpec.Parse(spec));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_stage_whose_name_is_taken_is_refused_naming_both_classes()
    {
        var error = Assert.Throws<ArgumentException>(() => CodecStages.Register(new StageWithoutArguments("topk", StageRole.ValueCoder, next => next)));
        Assert.StartsWith("codec stage 'topk' of PoolCompress.Compression.Codecs.StageWithoutArguments clashes with PoolCompress.Compression.Codecs.TopKSparsifier+Definition, which has that name", error.Message);
    }

    [Fact]
    public void A_stage_name_a_spec_cannot_hold_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => CodecStages.Register(new StageWithoutArguments("q:2", StageRole.ValueCoder, next => next)));
        Assert.Contains("codec stage 'q:2'", error.Message);
        Assert.DoesNotContain("q:2", CodecSpec.StageNames);
    }

    private static float[] Uniform(int length, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1))];
    }
}
