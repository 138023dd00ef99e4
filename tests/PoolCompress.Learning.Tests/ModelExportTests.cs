using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace PoolCompress.Learning.Tests;

public sealed class ModelExportTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static float[] Predict(FederatedModel model, Dataset data)
    {
        using var _ = no_grad();
        model.Network.eval();
        using var input = tensor(data.Images, [data.Count, .. data.Shape.Select(s => (long)s)]);
        using var logits = model.Network.call(input);
        return logits.data<float>().ToArray();
    }

    private static float[] Weights(FederatedModel model)
    {
        var weights = new float[model.ParameterCount];
        model.GetWeights(weights);
        return weights;
    }

    [Theory]
    [InlineData("cnn", "mixed:2")]
    [InlineData("resnet8", "spp:1,2")]
    public void An_exported_model_loads_into_a_fresh_model_with_the_same_weights_and_predictions(string name, string pool)
    {
        var data = SyntheticDigits.Create(trainCount: 64, testCount: 16, seed: 3);
        using var trained = ModelFactory.Create(name, pool, seed: 1);
        LocalTrainer.Train(trained, data.Train, new TrainingOptions(Epochs: 1, BatchSize: 16, LearningRate: 0.05, Seed: 1));
        string path = _dir.File("out/model");
        var info = new ExportInfo(name, pool, [1, 28, 28], Dataset.DigitClasses, Rounds: 3, new Dictionary<string, double> { ["test_accuracy"] = 0.5 });

        ModelExport.Write(trained, info, path);
        using var loaded = ModelExport.Read(path);
        using var fromPyTorch = ModelFactory.Create(name, pool, seed: 2);
        fromPyTorch.Network.load_py(path + ".pt");

        Assert.Equal(Weights(trained), Weights(loaded));
        Assert.Equal(Predict(trained, data.Test), Predict(loaded, data.Test));
        Assert.Equal(Weights(trained), Weights(fromPyTorch));
        Assert.Contains("\"head_pool\"", File.ReadAllText(path + ".json"));
        Assert.Contains("body.", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path + ".safetensors").AsSpan(8, 200)));
    }
}
