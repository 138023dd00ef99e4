namespace PoolCompress.Contracts;

/// <summary>
/// Sums and means over figures that clients report (claimed counts, losses, times). Each one is hostile: a checked
/// sum of claimed sample counts once threw after the last round and lost the run's summary, and two large finite
/// doubles add up to infinity. These saturate, or stay between the least and the greatest of their inputs, so no
/// figure a client sends can stop a stage or put an infinity into the results.
/// </summary>
public static class ClientFigures
{
    /// <summary>The sum of <paramref name="counts"/> (negatives count as 0), or <see cref="long.MaxValue"/> when it does not fit.</summary>
    public static long SaturatingSum(IEnumerable<long> counts)
    {
        long sum = 0;
        foreach (long count in counts)
            sum = count > long.MaxValue - sum ? long.MaxValue : sum + Math.Max(0, count);
        return sum;
    }

    /// <summary>The mean of finite <paramref name="values"/>, 0 for none; finite whatever they are.</summary>
    public static double Mean(IEnumerable<double> values) => WeightedMean(values.Select(v => (1.0, v)));

    /// <summary>
    /// The mean of finite values weighted by non-negative weights, 0 when no weight is positive. Each value is scaled
    /// by its share of the weight before it is added, and rounding is not allowed to carry the mean past the largest
    /// value, so a mean of values near <see cref="double.MaxValue"/> is not infinite.
    /// </summary>
    public static double WeightedMean(IEnumerable<(double Weight, double Value)> weighted)
    {
        var items = weighted.Where(i => i.Weight > 0).ToList();
        double total = items.Sum(i => i.Weight);
        if (items.Count == 0 || !double.IsFinite(total)) return 0;
        double mean = items.Sum(i => i.Weight / total * i.Value);
        return Math.Clamp(mean, items.Min(i => i.Value), items.Max(i => i.Value));
    }
}
