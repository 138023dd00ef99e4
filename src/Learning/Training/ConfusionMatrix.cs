namespace PoolCompress.Learning;

/// <summary>Counts of (true label, predicted label) pairs, and the metrics derived from them.</summary>
internal sealed class ConfusionMatrix(int classes)
{
    private readonly long[,] _counts = new long[classes, classes];

    public long Total { get; private set; }

    public void Add(int label, int predicted)
    {
        _counts[label, predicted]++;
        Total++;
    }

    public double Accuracy => Total == 0 ? 0 : (double)Enumerable.Range(0, classes).Sum(c => _counts[c, c]) / Total;

    /// <summary>Share of class <paramref name="c"/>'s samples predicted as <paramref name="c"/>; 0 when it has none.</summary>
    public double Recall(int c) => Ratio(_counts[c, c], Support(c));

    public double F1(int c) => Ratio(2 * _counts[c, c], Support(c) + Predicted(c));

    /// <summary>
    /// Mean F1 over the classes that were seen at all: a class absent from both labels and predictions has no F1,
    /// and counting it as 0 would punish a model for data it never met.
    /// </summary>
    public double MacroF1
    {
        get
        {
            var seen = Enumerable.Range(0, classes).Where(c => Support(c) + Predicted(c) > 0).ToArray();
            return seen.Length == 0 ? 0 : seen.Average(F1);
        }
    }

    /// <summary>Samples labelled <paramref name="c"/>.</summary>
    public long Support(int c) => Enumerable.Range(0, classes).Sum(p => _counts[c, p]);

    private long Predicted(int c) => Enumerable.Range(0, classes).Sum(l => _counts[l, c]);

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
