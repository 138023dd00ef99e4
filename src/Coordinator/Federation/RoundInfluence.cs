namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// Bounds one client's share of a round's change of the model, whatever it claims or sends. Its weight is capped at
/// <see cref="FederationSettings.WeightCap"/> times the median weight of the round's selected clients, so a claim
/// cannot outweigh the federation; and its update's L2 bound shrinks by as much as its weight exceeds that median, so
/// that weight times norm, its part of the weighted sum, is at most what a median client's update at the round's bound
/// gives. Fixed when the round's clients are drawn: a rerun of the same clients weighs and clips them the same.
/// </summary>
internal sealed class RoundInfluence(long medianWeight, double weightCap)
{
    public static RoundInfluence For(IEnumerable<long> selectedWeights, double weightCap)
    {
        var sorted = selectedWeights.Order().ToArray();
        return new RoundInfluence(sorted.Length == 0 ? 1 : sorted[(sorted.Length - 1) / 2], weightCap);
    }

    /// <summary>The weight a client of weight <paramref name="joinedWeight"/> (fixed at its first join) has this round.</summary>
    public long Weight(long joinedWeight) =>
        weightCap == 0 ? joinedWeight : Math.Min(joinedWeight, (long)Math.Ceiling(weightCap * medianWeight));

    /// <summary>The L2 bound for an update of <paramref name="weight"/>, from the round's bound (null: none).</summary>
    public double? ClipBound(double? roundBound, long weight) =>
        roundBound * Math.Min(1, (double)medianWeight / weight);
}
