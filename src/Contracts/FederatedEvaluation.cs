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
    [property: Id(7)] IReadOnlyList<ClientEvaluation> PerClient,
    /// <summary>Federated distillation: the clients' networks, each kind's scores apart; null when they share one network.</summary>
    [property: Id(8)] IReadOnlyList<ModelEvaluation>? ByModel = null)
{
    /// <summary>The weighted means of <paramref name="reports"/>; null when none of them has validation data.</summary>
    public static FederatedEvaluation? Aggregate(IReadOnlyCollection<ClientEvaluation> reports, int classes)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var measured = reports.Where(r => r.Examples > 0).ToList();
        long examples = ClientFigures.SaturatingSum(measured.Select(r => r.Examples));
        if (examples == 0) return null;

        double Weighted(Func<ClientEvaluation, double> metric) => ClientFigures.WeightedMean(measured.Select(r => ((double)r.Examples, metric(r))));
        var recall = Enumerable.Range(0, classes)
            .Select(c => ClientFigures.WeightedMean(measured.Select(r => ((double)r.ClassCounts[c], r.PerClassRecall[c])))).ToArray();
        var withAuc = measured.Where(r => r.Auc.HasValue).ToList();
        return new FederatedEvaluation(
            examples,
            measured.Count,
            Weighted(r => r.Loss),
            Weighted(r => r.Accuracy),
            Weighted(r => r.MacroF1),
            recall,
            withAuc.Count == 0 ? null : ClientFigures.WeightedMean(withAuc.Select(r => ((double)r.Examples, r.Auc!.Value))),
            [.. reports.OrderBy(r => r.ClientId, StringComparer.Ordinal)]);
    }
}

/// <summary>
/// How the clients that train one kind of network scored, under federated distillation (every client keeps its own):
/// their mean accuracy weighted by examples, and the lowest of them, since each site keeps the model it trained.
/// </summary>
[GenerateSerializer, Alias("PoolCompress.ModelEvaluation")]
public sealed record ModelEvaluation(
    [property: Id(0)] string Model,
    [property: Id(1)] int Clients,
    [property: Id(2)] double Accuracy,
    [property: Id(3)] double LowestAccuracy)
{
    /// <summary>The reports with validation data grouped by the network <paramref name="modelOf"/> says each client trains, in the models' order.</summary>
    public static IReadOnlyList<ModelEvaluation> Of(IEnumerable<ClientEvaluation> reports, Func<string, string> modelOf) =>
        [.. reports.Where(r => r.Examples > 0).GroupBy(r => modelOf(r.ClientId), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ModelEvaluation(g.Key, g.Count(), ClientFigures.WeightedMean(g.Select(r => ((double)r.Examples, r.Accuracy))), g.Min(r => r.Accuracy)))];

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Model}={Accuracy:0.0000}");
}
