using PoolCompress.Coordinator.Federation;
using PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Services;

/// <summary>
/// Reads a client's federated evaluation. Its figures are averaged into the round's metrics and summary.json, so each
/// is checked: a count beyond what any client may weigh, a NaN, a rate outside [0, 1], class counts that do not add
/// up or an accuracy that its per-class recalls contradict is a malformed report, not a statistic.
/// </summary>
internal static class EvaluationReports
{
    /// <summary>How far accuracy may stray from what the per-class recalls and counts imply (float rounding).</summary>
    private const double Tolerance = 1e-6;

    /// <summary>The checked evaluation of <paramref name="clientId"/>, for a federation of <paramref name="classes"/> classes.</summary>
    /// <exception cref="InvalidDataException">A field is malformed; the message names it.</exception>
    public static ClientEvaluation Read(EvaluationReport report, string clientId, int classes, long maxExamples)
    {
        if (report.Examples < 0 || report.Examples > maxExamples)
            throw new InvalidDataException($"examples must be in 0..{maxExamples}, got {report.Examples}");
        // Without validation data there is nothing to average: whatever else the report says is not kept.
        if (report.Examples == 0) return new ClientEvaluation(clientId, 0, 0, 0, 0, [], [], null);

        if (!double.IsFinite(report.Loss) || report.Loss < 0)
            throw new InvalidDataException($"loss must be a finite, non-negative number, got {report.Loss}");
        RequireRate(report.Accuracy, "accuracy");
        RequireRate(report.MacroF1, "macro_f1");
        if (report.HasAuc) RequireRate(report.Auc, "auc");
        RequireClassFigures(report, classes, maxExamples);
        return new ClientEvaluation(clientId, report.Examples, report.Loss, report.Accuracy, report.MacroF1,
            [.. report.PerClassRecall], [.. report.ClassCounts], report.HasAuc ? report.Auc : null);
    }

    /// <summary>One recall and one count per class, adding up to the examples and to the stated accuracy.</summary>
    private static void RequireClassFigures(EvaluationReport report, int classes, long maxExamples)
    {
        if (report.PerClassRecall.Count != classes)
            throw new InvalidDataException($"per_class_recall must have one entry per class ({classes}), got {report.PerClassRecall.Count}");
        if (report.ClassCounts.Count != classes)
            throw new InvalidDataException($"class_counts must have one entry per class ({classes}), got {report.ClassCounts.Count}");
        for (int c = 0; c < classes; c++)
        {
            RequireRate(report.PerClassRecall[c], $"per_class_recall[{c}]");
            if (report.ClassCounts[c] < 0) throw new InvalidDataException($"class_counts[{c}] must not be negative, got {report.ClassCounts[c]}");
        }
        long counted = report.ClassCounts.Aggregate(0L, (sum, count) => sum > maxExamples ? sum : sum + count);
        if (counted != report.Examples)
            throw new InvalidDataException($"class_counts add up to {counted}, not to examples ({report.Examples})");
        double correct = Enumerable.Range(0, classes).Sum(c => report.PerClassRecall[c] * report.ClassCounts[c]);
        if (Math.Abs(correct / report.Examples - report.Accuracy) > Tolerance)
            throw new InvalidDataException(
                $"accuracy {report.Accuracy} contradicts per_class_recall and class_counts, which make it {correct / report.Examples}");
    }

    private static void RequireRate(double value, string field)
    {
        if (!(value >= 0 && value <= 1)) throw new InvalidDataException($"{field} must be in [0, 1], got {value}");
    }
}
