using System.Runtime.InteropServices;
using PoolCompress.Learning;
using PoolCompress.Onnx.Ir;

namespace PoolCompress.Onnx.Tests;

/// <summary>int8 exports: per-channel symmetric weights that ONNX Runtime runs, with their accuracy measured on a test set.</summary>
public sealed class Int8ExportTests
{
    private static readonly IReadOnlyList<int> Digits = [1, 28, 28];

    [Fact]
    public void EveryConvolutionAndFullyConnectedWeightIsInt8WithOneScalePerOutputChannelAndZeroPointZero()
    {
        using var model = OnnxExportTests.TrainedLooking("cnn", "max:2", Digits);

        var graph = OnnxExport.Build(model, Digits, WeightPrecision.Int8).Graph;

        var initializers = graph.Initializer.ToDictionary(tensor => tensor.Name);
        var dequantized = graph.Node.Where(node => node.OpType == "DequantizeLinear").ToList();
        Assert.Equal(4, dequantized.Count); // conv1, conv2, fc1, fc2
        Assert.Equal(dequantized.Count, graph.Node.Count(node => node.OpType is "Conv" or "Gemm"));
        Assert.DoesNotContain(graph.Initializer, tensor => tensor.DataType == (int)TensorProto.Types.DataType.Float && tensor.Dims.Count >= 2);
        foreach (var node in dequantized)
        {
            var (values, scale, zeroPoint) = (initializers[node.Input[0]], initializers[node.Input[1]], initializers[node.Input[2]]);
            Assert.Equal((int)TensorProto.Types.DataType.Int8, values.DataType);
            Assert.Equal([values.Dims[0]], scale.Dims);
            Assert.All(zeroPoint.RawData.ToByteArray(), b => Assert.Equal(0, b));
            var perChannel = MemoryMarshal.Cast<byte, sbyte>(values.RawData.Span).ToArray().Chunk((int)(values.Dims.Aggregate(1L, (a, b) => a * b) / values.Dims[0]));
            Assert.All(perChannel, channel => Assert.Equal(127, channel.Max(v => Math.Abs((int)v))));
        }
    }

    [Fact]
    public void OnnxRuntimeRunsTheInt8ExportCloseToTheFloatModelAtAQuarterOfItsSize()
    {
        using var model = OnnxExportTests.TrainedLooking("cnn", null, Digits);
        using var full = new ExportedModel(model, Digits, WeightPrecision.Float32);
        using var int8 = new ExportedModel(model, Digits, WeightPrecision.Int8);
        float[] samples = ExportedModel.Samples(Digits, 16, seed: 5);

        float[] expected = ExportedModel.TorchLogits(model, samples, Digits);
        float[] actual = int8.Runtime.Run(samples, 16);

        Assert.InRange(int8.Bytes, full.Bytes / 4 - 8_192, full.Bytes / 4 + 8_192);
        double relativeError = Math.Sqrt(expected.Zip(actual).Sum(p => (p.First - p.Second) * (p.First - p.Second)) / expected.Sum(v => v * v));
        Assert.InRange(relativeError, 0, 0.05);
    }

    [Fact]
    public void TheInt8ExportsAccuracyIsMeasuredOnTheTestSetInOnnxRuntime()
    {
        var data = SyntheticDigits.Create(trainCount: 1_000, testCount: 400, seed: 3);
        using var model = ModelFactory.Create("cnn", "max:2", seed: 1);
        LocalTrainer.Train(model, data.Train, new TrainingOptions(Epochs: 2, BatchSize: 32, LearningRate: 0.05, Seed: 1));
        using var full = new ExportedModel(model, Digits, WeightPrecision.Float32);
        using var int8 = new ExportedModel(model, Digits, WeightPrecision.Int8);

        var torch = Evaluator.Evaluate(model, data.Test);
        var onnx = OnnxEvaluation.Evaluate(full.Runtime, data.Test);
        var quantized = OnnxEvaluation.Evaluate(int8.Runtime, data.Test);

        Assert.InRange(torch.Accuracy, 0.5, 1);
        Assert.Equal(torch.Accuracy, onnx.Accuracy);
        Assert.Equal(data.Test.Count, quantized.Samples);
        Assert.InRange(quantized.Accuracy, torch.Accuracy - 0.02, torch.Accuracy + 0.02);
    }
}
