using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace PoolCompress.Coordinator.Aggregation;

/// <summary>
/// Federated averaging (McMahan et al.): the new global model is the old one plus the mean of the clients'
/// updates, each weighted by its client's sample count. Sums are kept in double precision with integer weights,
/// so the result does not depend on the order in which updates arrive, nor on how they were split into partial
/// sums (to float32 precision), which keeps seeded runs repeatable.
/// </summary>
public sealed class FedAvgAggregator
{
    private readonly double[] _weightedSum;
    /// <summary>The updates themselves with their clients, for strategies that combine them otherwise than by a sum; null when not kept.</summary>
    private readonly List<(string ClientId, float[] Update)>? _kept;

    /// <summary>
    /// The largest weight one update can carry: below it, weight times a float is exact in double (see
    /// <see cref="AddWeighted"/>), and int.MaxValue updates of it still sum far below long.MaxValue.
    /// </summary>
    public const long MaxWeight = 1L << 29;

    /// <param name="keepUpdates">
    /// Also keep every update whole (see <see cref="WeightedUpdates.Whole"/>), for robust rules: memory then grows by one
    /// model-sized array per update, where the sum alone is one array whatever the number of updates.
    /// </param>
    public FedAvgAggregator(int parameterCount, bool keepUpdates = false)
    {
        _weightedSum = new double[parameterCount];
        _kept = keepUpdates ? [] : null;
    }

    public int ParameterCount => _weightedSum.Length;

    public long TotalWeight { get; private set; }

    public int Updates { get; private set; }

    public void Add(ReadOnlySpan<float> update, long sampleCount)
    {
        if (update.Length != _weightedSum.Length)
            throw new ArgumentException($"update has {update.Length} values; the model has {_weightedSum.Length}", nameof(update));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleCount, MaxWeight);
        AddWeighted(update, sampleCount, _weightedSum);
        TotalWeight = checked(TotalWeight + sampleCount);
        Updates++;
    }

    /// <summary>Adds a client's update, kept whole (not copied: the caller must not change it) when this aggregator keeps updates.</summary>
    public void Add(string clientId, float[] update, long sampleCount)
    {
        Add(update, sampleCount);
        _kept?.Add((clientId, update));
    }

    /// <summary>Adds differential-privacy noise to the weighted sum (the mean then carries it divided by the total weight).</summary>
    public void AddNoise(ReadOnlySpan<double> noise)
    {
        if (noise.Length != _weightedSum.Length)
            throw new ArgumentException($"noise has {noise.Length} values; the model has {_weightedSum.Length}", nameof(noise));
        TensorPrimitives.Add(_weightedSum, noise, _weightedSum);
    }

    /// <summary>Adds a sum formed elsewhere (another silo's partial aggregate), as if its updates had been added here.</summary>
    public void Add(PartialSum partial)
    {
        if (partial.TotalWeight == 0) return;
        if (partial.WeightedSum.Length != _weightedSum.Length)
            throw new ArgumentException($"partial sum has {partial.WeightedSum.Length} values; the model has {_weightedSum.Length}", nameof(partial));
        long total = checked(TotalWeight + partial.TotalWeight);
        TensorPrimitives.Add(_weightedSum, partial.WeightedSum, _weightedSum);
        TotalWeight = total;
        Updates += partial.Contributors.Length;
        if (_kept is not null)
        {
            if (partial.Updates?.Length != partial.Contributors.Length)
                throw new ArgumentException($"partial sum of {partial.Contributors.Length} updates does not hold them whole", nameof(partial));
            for (int i = 0; i < partial.Updates.Length; i++) _kept.Add((partial.Contributors[i], partial.Updates[i]));
        }
    }

    /// <summary>
    /// The sum so far, to be reduced with other silos' sums. It shares this aggregator's buffer rather than copying
    /// a model-sized array, so the aggregator is done once it has been handed over.
    /// </summary>
    public PartialSum ToPartialSum(string[] contributors, double summingSeconds)
    {
        if (contributors.Length != Updates)
            throw new ArgumentException($"{contributors.Length} contributors named for {Updates} updates", nameof(contributors));
        if (_kept is not null && !_kept.Select(k => k.ClientId).SequenceEqual(contributors, StringComparer.Ordinal))
            throw new ArgumentException("contributors must be named in the order their updates were kept", nameof(contributors));
        return Updates == 0 ? PartialSum.Empty
            : new PartialSum(_weightedSum, TotalWeight, contributors, summingSeconds, _kept?.Select(k => k.Update).ToArray());
    }

    /// <summary>
    /// The updates added so far, as a strategy aggregates them. They share this aggregator's buffer rather than
    /// copying a model-sized array.
    /// </summary>
    public WeightedUpdates ToWeightedUpdates() => new(_weightedSum, TotalWeight, Updates, _kept);

    /// <summary>
    /// sum += weight * update, widened to double. The product of an integer weight below 2^29 and a float is exact in
    /// double, so the vectorized and the scalar tail give bit-identical sums.
    /// </summary>
    private static void AddWeighted(ReadOnlySpan<float> update, double weight, Span<double> sum)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = new Vector<double>(weight);
            var floats = MemoryMarshal.Cast<float, Vector<float>>(update);
            var doubles = MemoryMarshal.Cast<double, Vector<double>>(sum);
            for (int v = 0; v < floats.Length; v++)
            {
                Vector.Widen(floats[v], out var low, out var high);
                doubles[2 * v] += w * low;
                doubles[2 * v + 1] += w * high;
            }
            i = floats.Length * Vector<float>.Count;
        }
        for (; i < sum.Length; i++) sum[i] += weight * update[i];
    }
}
