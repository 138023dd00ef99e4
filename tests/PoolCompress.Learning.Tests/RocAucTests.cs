namespace PoolCompress.Learning.Tests;

public sealed class RocAucTests
{
    [Fact]
    public void Two_class_auc_counts_ordered_pairs_as_by_hand()
    {
        // Class 1's scores: positives 0.9, 0.4; negatives 0.6, 0.2. Pairs (pos > neg): 0.9>0.6, 0.9>0.2, 0.4>0.2 = 3 of 4.
        float[] scores = [0.1f, 0.9f, 0.6f, 0.4f, 0.4f, 0.6f, 0.8f, 0.2f];
        byte[] labels = [1, 1, 0, 0];

        var auc = RocAuc.PerClass(scores, labels, classes: 2);

        Assert.Equal(0.75, auc[1]!.Value, precision: 12);
        // Class 0's scores are 1 - class 1's, so its AUC is the same 3 of 4 pairs.
        Assert.Equal(0.75, auc[0]!.Value, precision: 12);
    }

    [Fact]
    public void Ties_between_a_positive_and_a_negative_count_half()
    {
        // Class 0: positives 0.5, 0.7; negatives 0.5, 0.1. Pairs: 0.5=0.5 (half), 0.5>0.1, 0.7>0.5, 0.7>0.1 = 3.5 of 4.
        float[] scores = [0.5f, 0.7f, 0.5f, 0.1f];
        byte[] labels = [0, 0, 1, 1];

        Assert.Equal(3.5 / 4, OneVsRestOfTwo(scores, labels), precision: 12);
    }

    [Fact]
    public void Classes_without_positives_have_no_auc_and_the_macro_mean_skips_them()
    {
        // Three classes, no sample of class 2; every score the same, so every defined AUC is one half.
        float[] scores = [.. Enumerable.Repeat(1f / 3, 4 * 3)];
        byte[] labels = [0, 1, 1, 0];

        var auc = RocAuc.PerClass(scores, labels, classes: 3);

        Assert.Equal(0.5, auc[0]);
        Assert.Equal(0.5, auc[1]);
        Assert.Null(auc[2]);
        Assert.Equal(0.5, RocAuc.Macro(scores, labels, classes: 3));
        Assert.Null(RocAuc.Macro([1f, 1f], [0, 0], classes: 1));
    }

    [Fact]
    public void Scores_that_do_not_match_the_labels_are_refused()
    {
        Assert.Throws<ArgumentException>(() => RocAuc.PerClass(new float[5], new byte[2], classes: 3));
    }

    /// <summary>Class 0's AUC when <paramref name="class0Scores"/> are class 0's scores and class 1 gets the rest.</summary>
    private static double OneVsRestOfTwo(float[] class0Scores, byte[] labels)
    {
        var scores = class0Scores.SelectMany(s => new[] { s, 1 - s }).ToArray();
        return RocAuc.PerClass(scores, labels, classes: 2)[0]!.Value;
    }
}
