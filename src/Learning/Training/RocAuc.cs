namespace PoolCompress.Learning;

/// <summary>
/// Area under the ROC curve, one class against the rest: the chance that a random sample of the class scores above a
/// random sample of another class, ties counting half (the Mann-Whitney U statistic over positives times negatives).
/// </summary>
public static class RocAuc
{
    /// <summary>
    /// Each class's AUC from <paramref name="scores"/> (N x <paramref name="classes"/>, row-major, e.g. softmax
    /// probabilities) and <paramref name="labels"/>; null for a class without positives or without negatives, whose
    /// AUC is undefined.
    /// </summary>
    public static double?[] PerClass(ReadOnlySpan<float> scores, ReadOnlySpan<byte> labels, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        if (scores.Length != labels.Length * classes)
            throw new ArgumentException($"{labels.Length} labels of {classes} classes need {labels.Length * classes} scores, not {scores.Length}", nameof(scores));
        var result = new double?[classes];
        var column = new float[labels.Length];
        var order = new int[labels.Length];
        for (int c = 0; c < classes; c++)
        {
            for (int i = 0; i < labels.Length; i++)
            {
                column[i] = scores[i * classes + c];
                order[i] = i;
            }
            result[c] = OneClass(column, order, labels, c);
        }
        return result;
    }

    /// <summary>The mean of the defined per-class AUCs (macro one-vs-rest); null when no class has one.</summary>
    public static double? Macro(ReadOnlySpan<float> scores, ReadOnlySpan<byte> labels, int classes)
    {
        var defined = PerClass(scores, labels, classes).Where(auc => auc.HasValue).Select(auc => auc!.Value).ToArray();
        return defined.Length == 0 ? null : defined.Average();
    }

    private static double? OneClass(float[] column, int[] order, ReadOnlySpan<byte> labels, int positive)
    {
        long positives = 0;
        foreach (byte label in labels) if (label == positive) positives++;
        long negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0) return null;

        Array.Sort(column, order);
        // Sum the (1-based, tie-averaged) ranks of the positives.
        double positiveRanks = 0;
        for (int start = 0; start < column.Length;)
        {
            int end = start;
            while (end + 1 < column.Length && column[end + 1] == column[start]) end++;
            double rank = (start + end) / 2.0 + 1;
            for (int i = start; i <= end; i++) if (labels[order[i]] == positive) positiveRanks += rank;
            start = end + 1;
        }
        return (positiveRanks - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }
}
