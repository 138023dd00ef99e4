using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Federation;

namespace PoolCompress.Coordinator.Strategies;

/// <summary>
/// A federated optimisation strategy, in Flower's shape: configure fit (which clients train this round, and what
/// each is told), aggregate fit (how the round's updates move the global model), configure evaluate (who scores the
/// new model) and aggregate evaluate (what their reports add up to). Only <see cref="AggregateFit"/> has no default:
/// the defaults select clients by seed (<see cref="ClientSelection"/>), tell each the same
/// <see cref="SharedFitConfig"/>, ask the clients --eval-clients names, and weight their reports by examples.
/// Most rules act on the sample-weighted mean update; robust rules (median, trimmed mean, Multi-Krum) ask for the
/// updates themselves (<see cref="NeedsUpdates"/>), which the silos then forward whole (docs/strategies.md).
/// </summary>
public abstract class FederatedStrategy
{
    /// <summary>
    /// Names of the model-sized arrays the strategy carries from round to round (moments), in the order
    /// <see cref="AggregateFit"/> receives them. They are stored beside each model version, so they survive a restart.
    /// </summary>
    public virtual IReadOnlyList<string> StateArrays => [];

    /// <summary>
    /// Whether <see cref="AggregateFit"/> reads every update whole (<see cref="WeightedUpdates.Whole"/>) rather than
    /// their sum: each silo then keeps the decoded updates it received and forwards them when the round is reduced.
    /// </summary>
    public virtual bool NeedsUpdates => false;

    /// <summary>
    /// What every client the default <see cref="ConfigureFit"/> selects is told for its local training
    /// (<see cref="Learning.FitConfig"/>); clients too old to read a task's config get its proximal mu at join.
    /// </summary>
    public virtual IReadOnlyDictionary<string, string> SharedFitConfig { get; } = new Dictionary<string, string>();

    /// <summary>
    /// The clients that train in <paramref name="round"/>, each with its training config. The same round must give
    /// the same answer, so that a seeded run repeats.
    /// </summary>
    public virtual IReadOnlyList<ClientFit> ConfigureFit(FitRound round) =>
        [.. ClientSelection.Select(round.Pool, round.Count, round.Seed, round.Round, round.Attempt).Select(client => new ClientFit(client, SharedFitConfig))];

    /// <summary>
    /// <see cref="ConfigureFit"/>'s answer, checked: a strategy that chose a client twice or one outside the pool
    /// would leave the round waiting for an update that never comes.
    /// </summary>
    /// <exception cref="InvalidOperationException">The strategy chose a client twice, or one not in the pool.</exception>
    public IReadOnlyList<ClientFit> SelectForFit(FitRound round)
    {
        var fits = ConfigureFit(round);
        var pool = round.Pool.ToHashSet(StringComparer.Ordinal);
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        if (fits.FirstOrDefault(f => !pool.Contains(f.ClientId) || !chosen.Add(f.ClientId)) is { } wrong)
            throw new InvalidOperationException(
                $"strategy {GetType().Name} chose client '{wrong.ClientId}' for round {round.Round} {(pool.Contains(wrong.ClientId) ? "twice" : "from outside the selection pool")}");
        return fits;
    }

    /// <summary>
    /// Moves <paramref name="model"/> by the round's updates. <paramref name="state"/> holds the arrays named by
    /// <see cref="StateArrays"/>, updated in place; <paramref name="step"/> counts the steps taken, this one included (1, 2, ...).
    /// </summary>
    public abstract void AggregateFit(WeightedUpdates updates, Span<float> model, float[][] state, int step);

    /// <summary>The clients that evaluate the model a round produced.</summary>
    public virtual IReadOnlyCollection<string> ConfigureEvaluate(EvaluationRound round) =>
        round.EvalClients == EvaluatingClients.All ? round.Joined : round.Selected;

    /// <summary>The federated evaluation of a model from its evaluators' reports; null when none has validation data.</summary>
    public virtual FederatedEvaluation? AggregateEvaluate(IReadOnlyCollection<ClientEvaluation> reports, int classes) =>
        FederatedEvaluation.Aggregate(reports, classes);
}
