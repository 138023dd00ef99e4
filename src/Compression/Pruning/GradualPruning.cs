using PoolCompress.Compression.Coding;

namespace PoolCompress.Compression;

/// <summary>
/// Magnitude pruning during federated training (Zhu and Gupta's gradual schedule, as PruneFL and FedDST use it): the
/// model version a round makes has sparsity <c>S (1 - (1 - t/N)^3)</c> of its prunable weights, t the rounds so far
/// capped at N, so most weights go early, while the model still moves fast, and the last few slowly. Coordinator and
/// clients both prune each published model with this class, from the same floats, so they agree to the bit. The
/// <paramref name="Target"/> is float32 because that is how clients are told it.
/// </summary>
public sealed record GradualPruning(float Target, int Rounds)
{
    /// <summary>
    /// Prunable tensors: those a codec chain codes by default (<see cref="TensorInfo.IsCodedWeight"/> at
    /// <see cref="UpdateEncoderOptions.DefaultDenseBelowElements"/>). The rest are few; pruning them saves next to
    /// nothing and costs the most accuracy.
    /// </summary>
    public static bool IsPrunable(TensorInfo tensor) => tensor.IsCodedWeight(UpdateEncoderOptions.DefaultDenseBelowElements);

    /// <summary>The schedule a federation's settings give, or null when it prunes nothing.</summary>
    public static GradualPruning? From(float target, int rounds) => target > 0 ? new GradualPruning(target, rounds) : null;

    /// <summary>The sparsity of model version <paramref name="version"/> (1 is the initial model, round r makes r + 1).</summary>
    public double SparsityOf(long version)
    {
        var progress = Math.Clamp((version - 1) / (double)Rounds, 0, 1);
        return Target * (1 - Math.Pow(1 - progress, 3));
    }

    /// <summary>The coordinates that model version <paramref name="version"/> (<paramref name="model"/>) has not pruned.</summary>
    public LiveCoordinates LiveOf(ModelLayout layout, ReadOnlySpan<float> model, long version) =>
        LiveCoordinates.Of(layout, model, SparsityOf(version));

    /// <summary>
    /// Zeroes the smallest magnitudes of each prunable tensor until version <paramref name="version"/>'s share of it
    /// is zero. Each tensor reaches the sparsity alone, as in Zhu and Gupta: ranked across tensors, the first rounds
    /// (weights still near their initial scales, which differ by layer width) would empty whole layers. Zeros rank
    /// lowest, so what was pruned stays pruned; among equal magnitudes at the boundary the later positions go.
    /// </summary>
    public void Prune(ModelLayout layout, Span<float> model, long version)
    {
        var sparsity = SparsityOf(version);
        for (var i = 0; i < layout.Count; i++)
        {
            if (!IsPrunable(layout[i])) continue;
            var tensor = model.Slice(layout.OffsetOf(i), layout[i].Length);
            var kept = tensor.Length - (int)(sparsity * tensor.Length);
            if (kept == tensor.Length) continue;
            using var keptPositions = new PooledBuffer<int>(kept);
            MagnitudeSelector.SelectLargest(tensor, keptPositions.Span);
            var next = 0;
            for (var j = 0; j < tensor.Length; j++)
            {
                if (next < kept && keptPositions.Span[next] == j) next++;
                else tensor[j] = 0;
            }
        }
    }
}
