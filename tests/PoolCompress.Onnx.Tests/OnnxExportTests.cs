using PoolCompress.Learning;
using static TorchSharp.torch;

namespace PoolCompress.Onnx.Tests;

/// <summary>ONNX Runtime runs every zoo model and pooled head as exported and predicts what TorchSharp predicts.</summary>
public sealed class OnnxExportTests
{
    private const int Classes = 10;
    private const int BatchSize = 8;

    /// <summary>Every head-pool kind, a spp pyramid, and a grid (4) whose adaptive windows over a 7 x 7 map differ in width.</summary>
    private static readonly string?[] HeadPools = [null, "avg:1", "avg:2", "max:2", "l2:2", "mixed:2", "spp:1,2", "avg:4", "max:3"];

    public static TheoryData<string, string?> ZooModels()
    {
        var cases = new TheoryData<string, string?>();
        foreach (var definition in ModelCatalog.All.Where(m => m is not PluginModel))
        foreach (string? pool in definition.Name == "mlp" ? [null] : HeadPools)
            cases.Add(definition.Name, pool);
        return cases;
    }

    [Theory]
    [MemberData(nameof(ZooModels))]
    public void OnnxRuntimePredictsWhatTorchSharpPredicts(string name, string? headPool)
    {
        var definition = ModelCatalog.Find(name);
        using var model = TrainedLooking(name, headPool, definition.ExampleInput);
        using var exported = new ExportedModel(model, definition.ExampleInput, WeightPrecision.Float32);
        float[] samples = ExportedModel.Samples(definition.ExampleInput, BatchSize, seed: 7);

        float[] expected = ExportedModel.TorchLogits(model, samples, definition.ExampleInput);
        float[] actual = exported.Runtime.Run(samples, BatchSize);

        AssertSameLogits(expected, actual);
    }

    /// <summary>The same predictions, and every logit within 1e-4 of the largest.</summary>
    internal static void AssertSameLogits(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(ArgMax(expected, Classes), ArgMax(actual, Classes));
        float scale = expected.Max(Math.Abs);
        Assert.All(expected.Zip(actual), pair => Assert.True(Math.Abs(pair.First - pair.Second) <= 1e-4f * (1 + scale),
            $"logit {pair.First} expected, {pair.Second} computed"));
    }

    [Fact]
    public void ALayerWithoutAMappingIsRefusedNamingIt()
    {
        var spec = new DataSpec([1, 28, 28], Dataset.NumberedClasses(Classes));
        ModelCatalog.Register(new SoftsignModel());
        using var model = ModelFactory.Create(SoftsignModel.ModelName, null, seed: 1, spec);

        var error = Assert.Throws<UnmappedLayerException>(() => OnnxExport.Build(model, spec.InputShape, WeightPrecision.Float32));

        Assert.Contains($"'{SoftsignModel.ModelName}.body.squash'", error.Message);
        Assert.Contains(typeof(Softsign).FullName!, error.Message);
    }

    /// <summary>
    /// The model with every weight drawn at random: a fresh model's logits layer is zero, so its predictions would all
    /// agree whatever the export computed.
    /// </summary>
    internal static FederatedModel TrainedLooking(string name, string? headPool, IReadOnlyList<int> inputShape)
    {
        var model = ModelFactory.Create(name, headPool, seed: 1, new DataSpec(inputShape, Dataset.NumberedClasses(Classes)));
        var random = new Random(3);
        var weights = new float[model.ParameterCount];
        model.GetWeights(weights);
        for (int i = 0; i < weights.Length; i++) weights[i] += (float)(random.NextDouble() - 0.5) * 0.2f;
        model.SetWeights(weights);
        return model;
    }

    internal static int[] ArgMax(float[] logits, int classes) =>
        [.. logits.Chunk(classes).Select(row => Array.IndexOf(row, row.Max()))];

    /// <summary>x / (1 + |x|): a layer type the export has no mapping for.</summary>
    private sealed class Softsign() : nn.Module<Tensor, Tensor>(nameof(Softsign))
    {
        public override Tensor forward(Tensor input) => nn.functional.softsign(input);
    }

    private sealed class SoftsignModel : IModelDefinition
    {
        public const string ModelName = "softsign-test";

        public string Name => ModelName;

        public string Description => "a convolution squashed by softsign, for the export's refusal";

        public IReadOnlyList<int> ExampleInput => [1, 28, 28];

        public nn.Module<Tensor, Tensor> Build(IReadOnlyList<int> inputShape, int classCount, string? headPool) =>
            new BodyAndHead(ModelName, nn.Sequential(("conv", nn.Conv2d(1, 4, 3)), ("squash", new Softsign())),
                PooledHead.Create(headPool, 4, 26 * 26, 16, classCount));
    }
}
