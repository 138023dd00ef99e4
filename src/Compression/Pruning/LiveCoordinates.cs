namespace PoolCompress.Compression;

/// <summary>
/// The coordinates of a model that pruning during training has not removed: in every prunable tensor
/// (<see cref="GradualPruning.IsPrunable"/>) its non-zero weights, in every other tensor all of them. It is read off the
/// published model every client holds and the schedule, so coordinator and clients know it without a byte sent. A
/// tensor counts as pruned only when it has no more zeros than its version's sparsity prunes: a tensor initialised at
/// zero (an output layer) or not yet filled by sparse updates holds zeros that were never pruned, and is trained and
/// coded whole until pruning catches up with it. An update or downlink
/// step codes a tensor with pruned coordinates over its live ones alone, in ascending order: its sparsifiers choose
/// among fewer candidates and its indices count positions in that shorter list.
/// </summary>
public sealed class LiveCoordinates
{
    private readonly ModelLayout _layout;
    // Per tensor: the ascending live positions, or null when the tensor has no pruned coordinate.
    private readonly int[]?[] _live;

    private LiveCoordinates(ModelLayout layout, int[]?[] live)
    {
        _layout = layout;
        _live = live;
        PrunedCount = Enumerable.Range(0, layout.Count).Sum(i => (long)layout[i].Length - LengthOf(i));
    }

    /// <summary>The zero pattern of <paramref name="model"/>'s prunable tensors that hold at most the zeros
    /// <paramref name="sparsity"/> prunes from each.</summary>
    public static LiveCoordinates Of(ModelLayout layout, ReadOnlySpan<float> model, double sparsity)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (model.Length != layout.TotalLength)
            throw new ArgumentException($"model has {model.Length} elements but the layout has {layout.TotalLength}", nameof(model));
        var live = new int[]?[layout.Count];
        for (var i = 0; i < layout.Count; i++)
        {
            var values = model.Slice(layout.OffsetOf(i), layout[i].Length);
            var zeros = GradualPruning.IsPrunable(layout[i]) ? values.Count(0f) : 0;
            if (zeros == 0 || zeros > (int)(sparsity * values.Length)) continue;
            var positions = new List<int>(values.Length);
            for (var j = 0; j < values.Length; j++)
                if (values[j] != 0) positions.Add(j);
            live[i] = [.. positions];
        }
        return new LiveCoordinates(layout, live);
    }

    /// <summary>Coordinates pruned over the whole model.</summary>
    public long PrunedCount { get; }

    /// <summary>True when tensor <paramref name="tensorIndex"/> has pruned coordinates, so it is coded over its live ones.</summary>
    public bool IsCompacted(int tensorIndex) => _live[tensorIndex] is not null;

    /// <summary>How many values tensor <paramref name="tensorIndex"/> is coded as.</summary>
    public int LengthOf(int tensorIndex) => _live[tensorIndex]?.Length ?? _layout[tensorIndex].Length;

    /// <summary>Copies the live values of one tensor's <paramref name="values"/>, in order, into <paramref name="live"/>.</summary>
    public void Gather(int tensorIndex, ReadOnlySpan<float> values, Span<float> live)
    {
        if (_live[tensorIndex] is not { } positions)
        {
            values.CopyTo(live);
            return;
        }
        for (var j = 0; j < positions.Length; j++) live[j] = values[positions[j]];
    }

    /// <summary>Writes one tensor's <paramref name="live"/> values back to their positions; pruned positions get zero.</summary>
    public void Scatter(int tensorIndex, ReadOnlySpan<float> live, Span<float> values)
    {
        if (_live[tensorIndex] is not { } positions)
        {
            live.CopyTo(values);
            return;
        }
        values.Clear();
        for (var j = 0; j < positions.Length; j++) values[positions[j]] = live[j];
    }

    /// <summary>Zeroes every pruned coordinate of a whole-model vector.</summary>
    public void ZeroPruned(Span<float> model)
    {
        if (PrunedCount == 0 || model.IsEmpty) return;
        for (var i = 0; i < _layout.Count; i++)
        {
            if (_live[i] is not { } positions) continue;
            var values = model.Slice(_layout.OffsetOf(i), _layout[i].Length);
            var next = 0;
            for (var j = 0; j < values.Length; j++)
            {
                if (next < positions.Length && positions[next] == j) next++;
                else values[j] = 0;
            }
        }
    }
}
