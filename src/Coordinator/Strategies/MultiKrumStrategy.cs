using System.Numerics.Tensors;
using PoolCompress.Coordinator.Aggregation;

namespace PoolCompress.Coordinator.Strategies;

/// <summary>
/// Multi-Krum (Blanchard et al., "Machine Learning with Adversaries: Byzantine Tolerant Gradient Descent", 2017): each
/// update is scored by the sum of its squared distances to its n − f − 2 nearest other updates, and the model moves by
/// the plain mean of the m best-scored. With at most f attackers among n > 2f + 2, an update far from the honest
/// cluster scores badly. A round with fewer updates than that still scores each on at least its nearest neighbour.
/// </summary>
public sealed class MultiKrumStrategy(StrategySpec spec) : FederatedStrategy
{
    private readonly int _attackers = spec.Count("f", 1, minimum: 0)!.Value;
    /// <summary>Updates averaged; unset: n − f.</summary>
    private readonly int? _selected = spec.Count("m", null, minimum: 1);

    public override bool NeedsUpdates => true;

    public override void AggregateFit(WeightedUpdates round, Span<float> model, float[][] state, int step)
    {
        var updates = round.Whole;
        int n = updates.Count;
        int selected = Math.Clamp(_selected ?? n - _attackers, 1, n);
        var scores = Scores(updates, neighbours: Math.Clamp(n - _attackers - 2, 1, Math.Max(1, n - 1)));
        var best = Enumerable.Range(0, n).OrderBy(i => scores[i]).ThenBy(i => i).Take(selected);
        // Each update is scaled before it is added: a float sum of long (finite) updates would be infinite.
        foreach (int i in best) TensorPrimitives.MultiplyAdd(updates[i], 1f / selected, model, model);
    }

    /// <summary>Each update's sum of squared distances to its <paramref name="neighbours"/> nearest others.</summary>
    public static double[] Scores(IReadOnlyList<float[]> updates, int neighbours)
    {
        int n = updates.Count;
        var squared = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double distance = TensorPrimitives.Distance<float>(updates[i], updates[j]);
                squared[i, j] = squared[j, i] = distance * distance;
            }
        var scores = new double[n];
        for (int i = 0; i < n; i++)
            scores[i] = Enumerable.Range(0, n).Where(j => j != i).Select(j => squared[i, j]).Order().Take(neighbours).Sum();
        return scores;
    }
}
