using TorchSharp;

namespace PoolCompress.Learning.Tests;

public sealed class ModelFactoryTests
{
    private const int CnnBody = 52_096; // conv1 1*32*25 + 32, conv2 32*64*25 + 64

    [Fact]
    public void Cnn_has_the_FedAvg_paper_parameter_count_with_its_fully_connected_layers_as_head()
    {
        using var model = ModelFactory.Create("cnn", headPool: null, seed: 1);

        Assert.Equal(1_663_370, model.ParameterCount);
        Assert.Equal(1_611_274, model.HeadParameterCount); // 3136*512 + 512 + 512*10 + 10
        Assert.Equal(CnnBody, model.BodyParameterCount);
        Assert.Equal(
            ["body.conv1.weight", "body.conv1.bias", "body.conv2.weight", "body.conv2.bias",
             "head.fc1.weight", "head.fc1.bias", "head.fc2.weight", "head.fc2.bias"],
            model.Parameters.Select(p => p.Name));
        Assert.Equal([false, false, false, false, true, true, true, true], model.Parameters.Select(p => p.IsHead));
        Assert.Equal([64, 32, 5, 5], model.Parameters[2].Shape);
        Assert.Null(model.HeadPool);
    }

    /// <summary>Head = FC(64 * cells -> 512) + FC(512 -> 10) = 64 * cells * 512 + 512 + 5,130 (+1 for mixed's blend).</summary>
    [Theory]
    [InlineData("avg:1", 38_410)]
    [InlineData("avg:2", 136_714)]
    [InlineData("max:2", 136_714)]
    [InlineData("l2:2", 136_714)]
    [InlineData("avg:4", 529_930)]
    [InlineData("max:7", 1_611_274)]
    [InlineData("mixed:2", 136_715)]
    [InlineData("spp:1,2", 169_482)]
    [InlineData("spp:1,2,4", 693_770)]
    public void Pooled_heads_shrink_the_head_and_keep_the_body(string headPool, int headParameters)
    {
        using var model = ModelFactory.Create("cnn", headPool, seed: 1);
        using var input = torch.rand(3, 1, 28, 28);
        using var output = model.Network.call(input);

        Assert.Equal(headParameters, model.HeadParameterCount);
        Assert.Equal(CnnBody, model.BodyParameterCount);
        Assert.Equal(CnnBody + headParameters, model.ParameterCount);
        Assert.Equal([3L, 10L], output.shape);
        Assert.Equal(headPool, model.HeadPool);
    }

    [Fact]
    public void Mixed_pooling_blend_is_a_head_parameter()
    {
        using var model = ModelFactory.Create("cnn", "mixed:2", seed: 1);

        var blend = Assert.Single(model.Parameters, p => p.Name == "head.pool.mix");
        Assert.True(blend.IsHead);
        Assert.Equal(1, blend.Length);
    }

    [Fact]
    public void Head_pool_spec_is_reported_canonically_and_blank_means_none()
    {
        using var spp = ModelFactory.Create("cnn", " SPP:1,2,4 ", seed: 1);
        using var blank = ModelFactory.Create("cnn", "", seed: 1);

        Assert.Equal("spp:1,2,4", spp.HeadPool);
        Assert.Null(blank.HeadPool);
        Assert.Equal(1_663_370, blank.ParameterCount);
    }

    [Theory]
    [InlineData("resnet", null)]
    [InlineData("cnn", "avg")]
    [InlineData("cnn", "avg:0")]
    [InlineData("cnn", "avg:8")]
    [InlineData("cnn", "avg:x")]
    [InlineData("cnn", "median:2")]
    [InlineData("cnn", "max:1,2")]
    [InlineData("cnn", "spp:2,2")]
    [InlineData("cnn", "spp:")]
    public void Unknown_model_or_bad_head_pool_is_an_ArgumentException_naming_it(string model, string? headPool)
    {
        var error = Assert.Throws<ArgumentException>(() => ModelFactory.Create(model, headPool, seed: 1));

        Assert.Contains($"'{headPool ?? model}'", error.Message);
    }

    [Fact]
    public void Same_seed_gives_bit_identical_weights_whatever_torch_global_generator_did()
    {
        torch.manual_seed(123);
        float[] first = Weights(ModelFactory.Create("cnn", "mixed:2", seed: 42));
        torch.manual_seed(456);
        float[] again = Weights(ModelFactory.Create("cnn", "mixed:2", seed: 42));
        float[] other = Weights(ModelFactory.Create("cnn", "mixed:2", seed: 43));

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.True(first.Distinct().Count() > first.Length / 2, "weights should be random, not constant");
    }

    [Fact]
    public void Initial_weights_are_He_uniform_with_zero_biases_and_zero_logits_layer()
    {
        using var model = ModelFactory.Create("cnn", null, seed: 7);
        var layout = model.Parameters;
        float[] weights = Weights(ModelFactory.Create("cnn", null, seed: 7));
        ReadOnlySpan<float> Tensor(string name)
        {
            int offset = 0;
            foreach (var p in layout)
            {
                if (p.Name == name) return weights.AsSpan(offset, p.Length);
                offset += p.Length;
            }
            throw new KeyNotFoundException(name);
        }

        float bound = MathF.Sqrt(6f / 25); // conv1 fan-in 1 * 5 * 5
        float[] conv1 = Tensor("body.conv1.weight").ToArray();
        Assert.All(conv1, w => Assert.InRange(w, -bound, bound));
        Assert.True(conv1.Max() > 0.9f * bound);
        Assert.All(Tensor("body.conv1.bias").ToArray(), b => Assert.Equal(0f, b));
        Assert.All(Tensor("head.fc2.weight").ToArray(), w => Assert.Equal(0f, w));
        Assert.Contains(Tensor("head.fc1.weight").ToArray(), w => w != 0);
    }

    internal static float[] Weights(FederatedModel model)
    {
        using (model)
        {
            var weights = new float[model.ParameterCount];
            model.GetWeights(weights);
            return weights;
        }
    }

    [Fact]
    public void A_copy_holds_the_weights_and_buffers_and_leaves_the_original_alone()
    {
        var spec = new DataSpec([3, 32, 32], Dataset.DigitClasses);
        using var original = ModelFactory.Create("resnet8", headPool: null, seed: 3, spec);
        using var input = torch.rand(4, 3, 32, 32);
        original.Network.train();
        using (original.Network.call(input)) { } // moves the batch norms' running statistics away from their start

        using var copy = ModelFactory.Copy(original, spec);
        original.Network.eval();
        copy.Network.eval();
        using var expected = original.Network.call(input);
        using (var actual = copy.Network.call(input)) Assert.True(actual.allclose(expected, rtol: 0, atol: 0));

        copy.SetWeights(new float[copy.ParameterCount]);
        using var after = original.Network.call(input);
        Assert.True(after.allclose(expected, rtol: 0, atol: 0));
    }
}
