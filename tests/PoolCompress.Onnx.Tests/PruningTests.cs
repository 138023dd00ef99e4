using PoolCompress.Learning;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PoolCompress.Onnx.Tests;

/// <summary>Models pruned for deployment: ONNX Runtime runs the pruned model as TorchSharp does, and the pruning reaches what was asked.</summary>
public sealed class PruningTests
{
    private const int BatchSize = 8;

    public static TheoryData<string, string?> PrunedModels() => new()
    {
        { "cnn", null }, { "cnn", "max:2" }, { "dsconv", "max:2" }, { "dsconv", "spp:1,2" }, { "cifar-cnn", "mixed:2" }, { "resnet8", "avg:2" }, { "mlp", null },
    };

    [Theory]
    [MemberData(nameof(PrunedModels))]
    public void MagnitudePruningReachesItsSparsityAndOnnxRuntimeRunsThePrunedModelAsTorchSharpDoes(string name, string? headPool)
    {
        var input = ModelCatalog.Find(name).ExampleInput;
        using var model = OnnxExportTests.TrainedLooking(name, headPool, input);

        double sparsity = MagnitudePruning.Apply(model, 0.9);

        Assert.InRange(sparsity, 0.8999, 0.9001);
        AssertOnnxRuntimeMatches(model, input, WeightPrecision.Float32);
    }

    [Fact]
    public void MagnitudePruningZeroesTheSmallestWeightsAcrossLayersAndLeavesBiasesWhole()
    {
        using var model = OnnxExportTests.TrainedLooking("cnn", "max:2", [1, 28, 28]);
        var before = Weights(model);

        MagnitudePruning.Apply(model, 0.5);

        var after = Weights(model);
        var isWeight = Layout(model).Select(p => p.Shape.Length >= 2).ToArray();
        float largestPruned = before.Where((w, i) => isWeight[i] && after[i] == 0).Max(Math.Abs);
        float smallestKept = before.Where((w, i) => isWeight[i] && after[i] != 0).Min(Math.Abs);
        Assert.True(largestPruned <= smallestKept);
        Assert.All(Enumerable.Range(0, before.Length).Where(i => !isWeight[i]), i => Assert.Equal(before[i], after[i]));
    }

    [Theory]
    [MemberData(nameof(PrunedModels))]
    public void ChannelPruningGivesFewerParametersThatOnnxRuntimeRunsAsTorchSharpDoes(string name, string? headPool)
    {
        var input = ModelCatalog.Find(name).ExampleInput;
        var model = OnnxExportTests.TrainedLooking(name, headPool, input);
        int parameters = model.ParameterCount;

        using var pruned = ChannelPruning.Apply(model, 0.5);

        Assert.True(pruned.ParameterCount < parameters, $"{pruned.ParameterCount:N0} of {parameters:N0} parameters left");
        AssertOnnxRuntimeMatches(pruned, input, WeightPrecision.Float32);
    }

    [Fact]
    public void ChannelPruningRemovesTheChannelsThatContributeNothingAndKeepsTheLogits()
    {
        var input = ModelCatalog.Find("dsconv").ExampleInput;
        var model = OnnxExportTests.TrainedLooking("dsconv", null, input);
        SilenceHalfOfEachHiddenLayer(model);
        float[] samples = ExportedModel.Samples(input, BatchSize, seed: 11);
        float[] expected = ExportedModel.TorchLogits(model, samples, input);
        int parameters = model.ParameterCount;

        using var pruned = ChannelPruning.Apply(model, 0.5);

        Assert.True(pruned.ParameterCount < parameters / 2);
        OnnxExportTests.AssertSameLogits(expected, ExportedModel.TorchLogits(pruned, samples, input));
    }

    [Fact]
    public void ChannelAndMagnitudePruningComposeWithTheInt8Export()
    {
        var input = ModelCatalog.Find("dsconv").ExampleInput;
        var model = OnnxExportTests.TrainedLooking("dsconv", "max:2", input);
        int parameters = model.ParameterCount;

        using var pruned = new PruningSettings(Channels: 0.5, Sparsity: 0.5).Apply(model);

        Assert.True(pruned.ParameterCount < parameters);
        Assert.InRange(MagnitudePruning.Sparsity(pruned), 0.4999, 0.5001);
        AssertOnnxRuntimeMatches(pruned, input, WeightPrecision.Int8, tolerance: 0.05);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void AFractionOutsideZeroToOneIsRefused(double fraction)
    {
        using var model = ModelFactory.Create("mlp", null, seed: 1, new DataSpec([8], Dataset.NumberedClasses(3)));

        Assert.Throws<ArgumentException>(() => MagnitudePruning.Apply(model, fraction));
        Assert.Throws<ArgumentException>(() => ChannelPruning.Apply(model, fraction));
    }

    /// <summary>ONNX Runtime's logits for the exported model against TorchSharp's: equal, or for int8 within a relative L2 error.</summary>
    private static void AssertOnnxRuntimeMatches(FederatedModel model, IReadOnlyList<int> input, WeightPrecision precision, double tolerance = 0)
    {
        using var exported = new ExportedModel(model, input, precision);
        float[] samples = ExportedModel.Samples(input, BatchSize, seed: 7);
        float[] expected = ExportedModel.TorchLogits(model, samples, input);
        float[] actual = exported.Runtime.Run(samples, BatchSize);
        if (tolerance == 0)
        {
            OnnxExportTests.AssertSameLogits(expected, actual);
            return;
        }
        double error = Math.Sqrt(expected.Zip(actual).Sum(p => (p.First - p.Second) * (p.First - p.Second)) / expected.Sum(v => v * v));
        Assert.InRange(error, 0, tolerance);
    }

    /// <summary>Zeroes the first half of the outputs (weights and bias) of every convolution and fully connected layer but the last.</summary>
    private static void SilenceHalfOfEachHiddenLayer(FederatedModel model)
    {
        using var _ = no_grad();
        var layers = model.Network.modules().Where(m => m is Conv2d or Linear).ToList();
        foreach (var layer in layers.SkipLast(1))
        {
            var (weight, bias) = layer is Conv2d conv ? (conv.weight!, conv.bias!) : (((Linear)layer).weight!, ((Linear)layer).bias!);
            long half = weight.shape[0] / 2;
            weight[TensorIndex.Slice(0, half)].zero_();
            bias[TensorIndex.Slice(0, half)].zero_();
        }
    }

    private static float[] Weights(FederatedModel model)
    {
        var weights = new float[model.ParameterCount];
        model.GetWeights(weights);
        return weights;
    }

    /// <summary>Each flat position's parameter.</summary>
    private static IEnumerable<ParameterInfo> Layout(FederatedModel model) => model.Parameters.SelectMany(p => Enumerable.Repeat(p, p.Length));
}
