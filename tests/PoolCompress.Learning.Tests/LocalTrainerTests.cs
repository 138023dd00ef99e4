using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PoolCompress.Learning.Tests;

public sealed class LocalTrainerTests
{
    private static readonly MnistSplit Synthetic = SyntheticDigits.Create(trainCount: 600, testCount: 300, seed: 11);

    [Fact]
    public void Three_epochs_on_synthetic_digits_learn_far_above_chance()
    {
        using var model = ModelFactory.Create("cnn", headPool: null, seed: 1);
        double before = Evaluator.Evaluate(model, Synthetic.Test).Accuracy;

        // Plain SGD from PyTorch's default initialisation needs a hundred or so steps to leave its plateau, hence small batches.
        var result = LocalTrainer.Train(model, Synthetic.Train, new TrainingOptions(Epochs: 3, BatchSize: 8, LearningRate: 0.1, Seed: 5));
        var after = Evaluator.Evaluate(model, Synthetic.Test);

        Assert.True(after.Accuracy > 0.8, $"accuracy {before:P0} -> {after.Accuracy:P0}");
        Assert.True(after.Loss < Math.Log(10), $"test loss {after.Loss} should beat uniform guessing");
        Assert.Equal((600, 3 * 75), (result.Samples, result.Steps));
        Assert.True(double.IsFinite(result.MeanLoss) && result.MeanLoss < Math.Log(10), $"train loss {result.MeanLoss}");
    }

    [Fact]
    public void Same_seeds_give_bit_identical_weights_and_another_training_seed_does_not()
    {
        var data = Synthetic.Train.Subset([.. Enumerable.Range(0, 200)]);

        var (weights, loss) = Train(data, trainingSeed: 3);
        var (again, lossAgain) = Train(data, trainingSeed: 3);
        var (other, _) = Train(data, trainingSeed: 4);

        Assert.Equal(weights, again);
        Assert.Equal(loss, lossAgain);
        Assert.NotEqual(weights, other);
    }

    [Fact]
    public void Pooled_head_model_trains_too()
    {
        using var model = ModelFactory.Create("cnn", "mixed:2", seed: 1);
        var data = Synthetic.Train.Subset([.. Enumerable.Range(0, 300)]);

        var first = LocalTrainer.Train(model, data, new TrainingOptions(1, 10, 0.1, 1));
        var second = LocalTrainer.Train(model, data, new TrainingOptions(1, 10, 0.1, 2));

        Assert.True(second.MeanLoss < first.MeanLoss, $"loss {first.MeanLoss} -> {second.MeanLoss}");
    }

    [Theory]
    [InlineData(0, 32, 0.05)]
    [InlineData(1, 0, 0.05)]
    [InlineData(1, 32, 0)]
    [InlineData(1, 32, double.NaN)]
    public void Invalid_options_are_rejected(int epochs, int batchSize, double learningRate)
    {
        using var model = ModelFactory.Create("cnn", "avg:1", seed: 1);

        Assert.Throws<ArgumentOutOfRangeException>(
            () => LocalTrainer.Train(model, Synthetic.Test, new TrainingOptions(epochs, batchSize, learningRate, 1)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Cancellation_lets_the_batch_in_flight_finish_and_starts_no_other(int cancelInBatch)
    {
        using var stop = new CancellationTokenSource();
        if (cancelInBatch == 0) stop.Cancel();
        var network = new CancellingNetwork(stop, cancelInBatch);
        using var model = new FederatedModel("cancelling", headPool: null, network);

        Assert.ThrowsAny<OperationCanceledException>(
            () => LocalTrainer.Train(model, Synthetic.Train, new TrainingOptions(Epochs: 2, BatchSize: 10, LearningRate: 0.1, Seed: 1), stop.Token));
        Assert.Equal(cancelInBatch, network.Batches);
    }

    /// <summary>A linear classifier that cancels its token from inside its <c>cancelInBatch</c>-th forward pass.</summary>
    private sealed class CancellingNetwork : nn.Module<Tensor, Tensor>
    {
        private readonly CancellationTokenSource _stop;
        private readonly int _cancelInBatch;
        private readonly Linear head = nn.Linear(28 * 28, 10);

        public CancellingNetwork(CancellationTokenSource stop, int cancelInBatch) : base(nameof(CancellingNetwork))
        {
            (_stop, _cancelInBatch) = (stop, cancelInBatch);
            RegisterComponents();
        }

        public int Batches { get; private set; }

        public override Tensor forward(Tensor input)
        {
            if (++Batches == _cancelInBatch) _stop.Cancel();
            return head.forward(input.flatten(1));
        }
    }

    private static (float[] Weights, double Loss) Train(Dataset data, long trainingSeed)
    {
        var model = ModelFactory.Create("cnn", "avg:2", seed: 9);
        var result = LocalTrainer.Train(model, data, new TrainingOptions(Epochs: 1, BatchSize: 20, LearningRate: 0.1, Seed: trainingSeed));
        return (ModelFactoryTests.Weights(model), result.MeanLoss);
    }
}
