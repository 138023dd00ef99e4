namespace PoolCompress.Coordinator.Aggregation;

/// <summary>
/// Federated averaging (McMahan et al.): the new global model is the old one plus the mean of the clients'
/// updates, each weighted by its client's sample count. Sums are kept in double precision with integer weights,
/// so the result does not depend on the order in which updates arrive (to float32 precision), which keeps
/// seeded runs repeatable.
/// </summary>
public sealed class FedAvgAggregator
{
    private readonly double[] _weightedSum;

    public FedAvgAggregator(int parameterCount) => _weightedSum = new double[parameterCount];

    public long TotalWeight { get; private set; }

    public int Updates { get; private set; }

    public void Add(ReadOnlySpan<float> update, long sampleCount)
    {
        if (update.Length != _weightedSum.Length)
            throw new ArgumentException($"update has {update.Length} values; the model has {_weightedSum.Length}", nameof(update));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleCount);
        double weight = sampleCount;
        var sum = _weightedSum.AsSpan();
        for (int i = 0; i < sum.Length; i++) sum[i] += weight * update[i];
        TotalWeight += sampleCount;
        Updates++;
    }

    /// <summary>Adds the weighted mean update to <paramref name="globalModel"/> in place.</summary>
    public void ApplyTo(Span<float> globalModel)
    {
        if (globalModel.Length != _weightedSum.Length)
            throw new ArgumentException($"model has {globalModel.Length} values; updates have {_weightedSum.Length}", nameof(globalModel));
        if (TotalWeight == 0) throw new InvalidOperationException("no update has been added");
        double scale = 1.0 / TotalWeight;
        for (int i = 0; i < globalModel.Length; i++) globalModel[i] = (float)(globalModel[i] + _weightedSum[i] * scale);
    }
}
