namespace PoolCompress.Learning.Tests;

/// <summary>Every pooled head leaves the chance plateau within a hundred plain SGD steps on real digits.</summary>
public sealed class PooledHeadLearningTests
{
    private static readonly Lazy<(Dataset Train, Dataset Test)> Digits = new(() =>
    {
        var split = DatasetCatalog.Load("mnist", dataDir: null, cacheDir: null);
        return (split.Train.Subset([.. Enumerable.Range(0, 3_200)]), split.Test.Subset([.. Enumerable.Range(0, 1_000)]));
    });

    [Theory]
    [InlineData("avg:2")]
    [InlineData("max:2")]
    [InlineData("l2:2")]
    [InlineData("mixed:2")]
    [InlineData("spp:1,2")]
    public void Hundred_steps_take_the_test_loss_far_below_chance(string headPool)
    {
        var (train, test) = Digits.Value;
        using var model = ModelFactory.Create("cnn", headPool, seed: 1);

        LocalTrainer.Train(model, train, new TrainingOptions(Epochs: 1, BatchSize: 32, LearningRate: 0.1, Seed: 1));
        var after = Evaluator.Evaluate(model, test);

        // ln 10 = 2.30 is the loss of uniform guessing; the unnormalized avg:2 head was still at 2.29 here.
        Assert.True(after.Loss < 1.0, $"{headPool}: test loss {after.Loss:F3}, accuracy {after.Accuracy:P1}");
    }
}
