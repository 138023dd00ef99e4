namespace PoolCompress.Learning.Tests;

public sealed class EvaluatorTests
{
    [Fact]
    public void Model_that_always_answers_3_scores_as_computed_by_hand()
    {
        // All weights zero except the output bias of class 3: logits are (0, 0, 0, 1, 0, ...) for any input.
        using var model = ModelFactory.Create("cnn", "avg:1", seed: 1);
        var weights = new float[model.ParameterCount];
        weights[model.ParameterCount - 10 + 3] = 1;
        model.SetWeights(weights);
        var data = new Dataset(new float[4 * 28 * 28], [3, 3, 1, 2], 28, 28);

        var result = Evaluator.Evaluate(model, data, batchSize: 3); // a full and a partial batch

        Assert.Equal(4, result.Samples);
        Assert.Equal(0.5, result.Accuracy);
        Assert.Equal([0, 0, 0, 1, 0, 0, 0, 0, 0, 0], result.PerClassRecall);
        // Class 3: precision 1/2, recall 1, F1 2/3; classes 1 and 2: F1 0; the other classes never occur.
        Assert.Equal(2.0 / 9, result.MacroF1, precision: 12);
        // Cross-entropy: -log softmax = log(e + 9) - 1 for label 3, log(e + 9) for the others.
        Assert.Equal(Math.Log(Math.E + 9) - 0.5, result.Loss, precision: 5);
        // Every sample gets the same scores: each class that occurs ties with the rest, AUC one half.
        Assert.Equal(0.5, result.Auc!.Value, precision: 12);
        Assert.Equal([0, 1, 1, 2, 0, 0, 0, 0, 0, 0], result.ClassCounts!);
    }
}
