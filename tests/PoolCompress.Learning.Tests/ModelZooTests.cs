using static TorchSharp.torch;

namespace PoolCompress.Learning.Tests;

public sealed class ModelZooTests
{
    public static TheoryData<string, string?> ImageModelsAndHeads()
    {
        var cases = new TheoryData<string, string?>();
        foreach (string model in new[] { "cifar-cnn", "resnet8", "dsconv" })
        foreach (string? pool in new[] { null, "avg:2", "max:1", "l2:2", "mixed:2", "spp:1,2,4" })
            cases.Add(model, pool);
        return cases;
    }

    private static float[] Forward(FederatedModel model, IReadOnlyList<int> shape, int batch)
    {
        using var _ = no_grad();
        model.Network.eval();
        using var input = rand([batch, .. shape.Select(s => (long)s)], generator: new Generator(3));
        using var output = model.Network.call(input);
        Assert.Equal([batch, 7L], output.shape);
        return output.data<float>().ToArray();
    }

    [Theory]
    [MemberData(nameof(ImageModelsAndHeads))]
    public void Every_image_model_takes_every_pooled_head_and_gives_one_logit_per_class(string name, string? pool)
    {
        var spec = new DataSpec([3, 32, 32], Dataset.NumberedClasses(7));
        using var model = ModelFactory.Create(name, pool, seed: 1, spec);
        using var plain = ModelFactory.Create(name, null, seed: 1, spec);

        Forward(model, spec.InputShape, batch: 2);
        model.GetWeights(new float[model.ParameterCount]);

        Assert.All(model.Parameters.Where(p => p.IsHead), p => Assert.StartsWith("head.", p.Name));
        Assert.Equal(plain.BodyParameterCount, model.BodyParameterCount);
        if (pool is not null) Assert.NotEqual(plain.HeadParameterCount, model.HeadParameterCount);
    }

    [Theory]
    [InlineData("cifar-cnn", new[] { 1, 28, 28 })]
    [InlineData("resnet8", new[] { 1, 28, 28 })]
    [InlineData("dsconv", new[] { 3, 32, 32 })]
    [InlineData("mlp", new[] { 20 })]
    [InlineData("mlp", new[] { 1, 28, 28 })]
    public void Models_take_their_input_shapes_and_the_same_seed_gives_the_same_weights(string name, int[] shape)
    {
        var spec = new DataSpec(shape, Dataset.NumberedClasses(7));
        using var first = ModelFactory.Create(name, null, seed: 5, spec);
        using var again = ModelFactory.Create(name, null, seed: 5, spec);
        float[] weights = ModelFactoryTests.Weights(ModelFactory.Create(name, null, seed: 5, spec));

        Assert.Equal(Forward(first, shape, 3), Forward(again, shape, 3));
        Assert.All(weights, w => Assert.True(float.IsFinite(w) && Math.Abs(w) <= 1));
        Assert.Equal(weights, ModelFactoryTests.Weights(ModelFactory.Create(name, null, seed: 5, spec)));
        Assert.NotEqual(weights, ModelFactoryTests.Weights(ModelFactory.Create(name, null, seed: 6, spec)));
    }

    [Theory]
    [InlineData("mlp", "avg:2", new[] { 20 }, "no feature maps")]
    [InlineData("cnn", null, new[] { 3, 32, 32 }, "takes 1x28x28")]
    [InlineData("resnet8", null, new[] { 20 }, "takes images")]
    [InlineData("nonesuch", null, new[] { 20 }, "unknown")]
    public void A_model_refuses_input_or_heads_it_cannot_take(string name, string? pool, int[] shape, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ModelFactory.Create(name, pool, 1, new DataSpec(shape, Dataset.DigitClasses)));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Mlp_learns_a_table_whose_class_is_the_sign_of_a_feature()
    {
        var random = new Random(4);
        const int count = 400;
        var features = new float[count * 4];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            for (int f = 0; f < 4; f++) features[i * 4 + f] = random.NextSingle() * 2 - 1;
            labels[i] = (byte)(features[i * 4 + 2] > 0 ? 1 : 0);
        }
        var data = new Dataset(features, labels, [4], ["neg", "pos"]);
        using var model = ModelFactory.Create("mlp", null, seed: 1, new DataSpec([4], data.Classes));

        LocalTrainer.Train(model, data, new TrainingOptions(Epochs: 20, BatchSize: 20, LearningRate: 0.1, Seed: 1));

        Assert.True(Evaluator.Evaluate(model, data).Accuracy > 0.9);
        var weights = new float[model.ParameterCount];
        model.GetWeights(weights);
        Assert.All(weights, w => Assert.True(float.IsFinite(w)));
    }
}
