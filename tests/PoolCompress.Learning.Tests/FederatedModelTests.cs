using TorchSharp;

namespace PoolCompress.Learning.Tests;

public sealed class FederatedModelTests
{
    [Fact]
    public void Set_then_get_weights_round_trips_and_makes_the_networks_compute_the_same()
    {
        using var source = ModelFactory.Create("cnn", "l2:2", seed: 1);
        using var target = ModelFactory.Create("cnn", "l2:2", seed: 2);
        var weights = new float[source.ParameterCount];
        source.GetWeights(weights);

        target.SetWeights(weights);
        var copied = new float[target.ParameterCount];
        target.GetWeights(copied);
        using var input = torch.rand(2, 1, 28, 28);
        using var expected = source.Network.call(input);
        using var actual = target.Network.call(input);

        Assert.Equal(weights, copied);
        Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());
    }

    [Fact]
    public void Flat_vector_follows_the_parameter_order()
    {
        using var model = ModelFactory.Create("cnn", "avg:1", seed: 1);
        var weights = new float[model.ParameterCount];
        int lastBias = model.ParameterCount - 10; // head.fc2.bias, the last parameter
        weights[lastBias + 4] = 2.5f;

        model.SetWeights(weights);
        using var blank = torch.zeros(1, 1, 28, 28);
        using var output = model.Network.call(blank);

        Assert.Equal("head.fc2.bias", model.Parameters[^1].Name);
        Assert.Equal([0f, 0f, 0f, 0f, 2.5f, 0f, 0f, 0f, 0f, 0f], output.data<float>().ToArray());
    }

    [Fact]
    public void Weight_spans_of_the_wrong_length_are_rejected()
    {
        using var model = ModelFactory.Create("cnn", "avg:1", seed: 1);

        Assert.Throws<ArgumentException>(() => model.SetWeights(new float[model.ParameterCount - 1]));
        Assert.Throws<ArgumentException>(() => model.GetWeights(new float[model.ParameterCount + 1]));
    }
}
