namespace PoolCompress.Learning;

/// <summary>
/// Classification quality on a dataset. <paramref name="Loss"/> is the mean cross-entropy; <paramref name="MacroF1"/>
/// averages F1 over the classes that occur in the labels or the predictions; <paramref name="PerClassRecall"/> has
/// one entry per class, 0 for a class without samples; <paramref name="Auc"/> is the macro one-vs-rest ROC AUC
/// (<see cref="RocAuc"/>), null when no class has both samples and non-samples; <paramref name="ClassCounts"/> says
/// how many samples each class has.
/// </summary>
public sealed record EvaluationResult(
    double Accuracy, double Loss, double MacroF1, double[] PerClassRecall, int Samples, double? Auc = null, long[]? ClassCounts = null)
{
    /// <summary>What evaluating on no data at all measures: nothing (a coordinator without a test set).</summary>
    public static EvaluationResult None(int classes) =>
        new(double.NaN, double.NaN, double.NaN, new double[classes], 0, null, new long[classes]);
}
