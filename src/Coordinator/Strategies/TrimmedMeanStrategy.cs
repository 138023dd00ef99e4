using PoolCompress.Coordinator.Aggregation;

namespace PoolCompress.Coordinator.Strategies;

/// <summary>
/// Coordinate-wise trimmed mean (Yin et al., "Byzantine-Robust Distributed Learning", 2018): for each parameter,
/// drop the largest and the smallest beta·n of the round's n updates and add the mean of the rest to the model. The
/// coordinate-wise median is the trimmed mean that keeps only the middle one (or two). Every update counts the same,
/// whatever sample count its client claims: a claimed weight would be one more thing an attacker controls.
/// </summary>
public sealed class TrimmedMeanStrategy : FederatedStrategy
{
    private readonly Func<int, int> _trimmedPerEnd;

    private TrimmedMeanStrategy(Func<int, int> trimmedPerEnd) => _trimmedPerEnd = trimmedPerEnd;

    public TrimmedMeanStrategy(StrategySpec spec)
    {
        double beta = spec.Fraction("beta", 0.1, below: 0.5);
        _trimmedPerEnd = n => (int)Math.Floor(beta * n);
    }

    /// <summary>The coordinate-wise median: the mean of the middle value, or of the middle two for an even count.</summary>
    public static TrimmedMeanStrategy Median() => new(n => (n - 1) / 2);

    public override bool NeedsUpdates => true;

    public override void AggregateFit(WeightedUpdates round, Span<float> model, float[][] state, int step)
    {
        float[][] updates = [.. round.Whole];
        int trimmed = _trimmedPerEnd(updates.Length);
        var column = new float[updates.Length];
        for (int i = 0; i < model.Length; i++)
        {
            for (int c = 0; c < column.Length; c++) column[c] = updates[c][i];
            model[i] += OrderStatistics.TrimmedMean(column, trimmed);
        }
    }
}
