namespace PoolCompress.Learning.Tests;

public sealed class ConfusionMatrixTests
{
    [Fact]
    public void Metrics_match_a_hand_computed_three_class_case()
    {
        // Labels 0 0 0 1 1 2, predictions 0 0 1 1 2 2.
        var confusion = new ConfusionMatrix(classes: 4);
        foreach (var (label, predicted) in new[] { (0, 0), (0, 0), (0, 1), (1, 1), (1, 2), (2, 2) }) confusion.Add(label, predicted);

        Assert.Equal(4.0 / 6, confusion.Accuracy, precision: 12);
        Assert.Equal([2.0 / 3, 0.5, 1, 0], Enumerable.Range(0, 4).Select(confusion.Recall));
        // F1: class 0 = 2*2/(3+2) = 0.8, class 1 = 2*1/(2+2) = 0.5, class 2 = 2*1/(1+2) = 2/3; class 3 never occurs.
        Assert.Equal((0.8 + 0.5 + 2.0 / 3) / 3, confusion.MacroF1, precision: 12);
    }

    [Fact]
    public void Empty_matrix_scores_zero() => Assert.Equal((0.0, 0.0), (new ConfusionMatrix(10).Accuracy, new ConfusionMatrix(10).MacroF1));
}
