namespace PoolCompress.Coordinator.Aggregation;

/// <summary>
/// A round's client updates as a strategy's aggregate-fit step reads them: their sample-weighted sum, kept in double
/// precision, and for robust rules each update whole (<see cref="Whole"/>). The mean rules and the robust rules take
/// the same type, whatever reduced the silos' partial sums into it.
/// </summary>
public sealed class WeightedUpdates
{
    private readonly double[] _weightedSum;
    private readonly IReadOnlyList<(string ClientId, float[] Update)>? _kept;

    internal WeightedUpdates(double[] weightedSum, long totalWeight, int count, IReadOnlyList<(string ClientId, float[] Update)>? kept)
    {
        _weightedSum = weightedSum;
        TotalWeight = totalWeight;
        Count = count;
        _kept = kept;
    }

    public int ParameterCount => _weightedSum.Length;

    public long TotalWeight { get; }

    /// <summary>The number of updates.</summary>
    public int Count { get; }

    /// <summary>
    /// The updates themselves, ordered by client id, so that a rule over them gives the same model however the
    /// updates arrived and however they were spread over silos.
    /// </summary>
    public IReadOnlyList<float[]> Whole =>
        _kept?.OrderBy(k => k.ClientId, StringComparer.Ordinal).Select(k => k.Update).ToList()
        ?? throw new InvalidOperationException("this round's updates were summed, not kept");

    /// <summary>Adds the weighted mean update to <paramref name="globalModel"/> in place.</summary>
    public void AddMeanTo(Span<float> globalModel)
    {
        double scale = Scale(globalModel.Length, nameof(globalModel));
        for (int i = 0; i < globalModel.Length; i++) globalModel[i] = (float)(globalModel[i] + _weightedSum[i] * scale);
    }

    /// <summary>The weighted mean update itself, rounded to float32, for strategies that do more than add it.</summary>
    public void MeanUpdate(Span<float> destination)
    {
        double scale = Scale(destination.Length, nameof(destination));
        for (int i = 0; i < destination.Length; i++) destination[i] = (float)(_weightedSum[i] * scale);
    }

    private double Scale(int length, string parameter)
    {
        if (length != _weightedSum.Length)
            throw new ArgumentException($"{parameter} has {length} values; updates have {_weightedSum.Length}", parameter);
        if (TotalWeight == 0) throw new InvalidOperationException("no update has been added");
        return 1.0 / TotalWeight;
    }
}
