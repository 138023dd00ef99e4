namespace PoolCompress.Learning;

/// <summary>
/// Classification quality on a dataset. <paramref name="Loss"/> is the mean cross-entropy; <paramref name="MacroF1"/>
/// averages F1 over the classes that occur in the labels or the predictions; <paramref name="PerClassRecall"/> has
/// one entry per class, 0 for a class without samples.
/// </summary>
public sealed record EvaluationResult(double Accuracy, double Loss, double MacroF1, double[] PerClassRecall, int Samples);
