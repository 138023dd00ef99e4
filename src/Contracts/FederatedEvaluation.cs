namespace PoolCompress.Contracts;

/// <summary>
/// One client's evaluation of a global model on its local validation data, as checked on arrival
/// (<c>EvaluationReports</c>). A client without validation data reports <see cref="Examples"/> 0 and nothing else.
/// </summary>
[GenerateSerializer, Alias("PoolCompress.ClientEvaluation")]
public sealed record ClientEvaluation(
    [property: Id(0)] string ClientId,
    [property: Id(1)] long Examples,
    [property: Id(2)] double Loss,
    [property: Id(3)] double Accuracy,
    [property: Id(4)] double MacroF1,
    [property: Id(5)] IReadOnlyList<double> PerClassRecall,
    [property: Id(6)] IReadOnlyList<long> ClassCounts,
    [property: Id(7)] double? Auc);

/// <summary>
/// What the clients' evaluations of one global model add up to. Loss, accuracy, macro-F1 and AUC are means over the
/// clients weighted by their examples (AUC over the clients that have one); a class's recall is weighted by the
/// clients' samples of that class, so it is the recall over all their validation data.
/// </summary>
[GenerateSerializer, Alias("PoolCompress.FederatedEvaluation")]
public sealed record FederatedEvaluation(
    [property: Id(0)] long Examples,
    [property: Id(1)] int Clients,
    [property: Id(2)] double Loss,
    [property: Id(3)] double Accuracy,
    [property: Id(4)] double MacroF1,
    [property: Id(5)] IReadOnlyList<double> PerClassRecall,
    [property: Id(6)] double? Auc,
    /// <summary>Every report, in client order, those without validation data included.</summary>
    [property: Id(7)] IReadOnlyList<ClientEvaluation> PerClient)
{
    /// <summary>The weighted means of <paramref name="reports"/>; null when none of them has validation data.</summary>
    public static FederatedEvaluation? Aggregate(IReadOnlyCollection<ClientEvaluation> reports, int classes)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var measured = reports.Where(r => r.Examples > 0).ToList();
        long examples = measured.Sum(r => r.Examples);
        if (examples == 0) return null;

        double Weighted(Func<ClientEvaluation, double> metric) => measured.Sum(r => r.Examples * metric(r)) / examples;
        var recall = new double[classes];
        for (int c = 0; c < classes; c++)
        {
            long support = measured.Sum(r => r.ClassCounts[c]);
            recall[c] = support == 0 ? 0 : measured.Sum(r => r.ClassCounts[c] * r.PerClassRecall[c]) / support;
        }
        var withAuc = measured.Where(r => r.Auc.HasValue).ToList();
        long aucExamples = withAuc.Sum(r => r.Examples);
        return new FederatedEvaluation(
            examples,
            measured.Count,
            Weighted(r => r.Loss),
            Weighted(r => r.Accuracy),
            Weighted(r => r.MacroF1),
            recall,
            aucExamples == 0 ? null : withAuc.Sum(r => r.Examples * r.Auc!.Value) / aucExamples,
            [.. reports.OrderBy(r => r.ClientId, StringComparer.Ordinal)]);
    }
}
