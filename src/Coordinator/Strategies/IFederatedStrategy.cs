using PoolCompress.Coordinator.Aggregation;

namespace PoolCompress.Coordinator.Strategies;

/// <summary>
/// A federated optimisation strategy, server side: how a round's reduced update moves the global model (FedAvg,
/// server momentum, adaptive server optimizers), and what clients are told for their local training (FedProx).
/// Most act on the sample-weighted mean update, reduced once from the silos' partial sums; robust rules (median,
/// trimmed mean, Multi-Krum) ask for the updates themselves (<see cref="NeedsUpdates"/>), which the silos then
/// forward whole (docs/strategies.md).
/// </summary>
public interface IFederatedStrategy
{
    /// <summary>
    /// Names of the model-sized arrays the strategy carries from round to round (moments), in the order
    /// <see cref="Apply"/> receives them. They are stored beside each model version, so they survive a restart.
    /// </summary>
    IReadOnlyList<string> StateArrays { get; }

    /// <summary>The FedProx proximal coefficient clients add to their local loss, mu/2 ||w - w_global||^2; 0 for none.</summary>
    double ProximalMu { get; }

    /// <summary>
    /// Whether <see cref="Apply"/> reads every update whole (<see cref="FedAvgAggregator.KeptUpdates"/>) rather than
    /// their sum: each silo then keeps the decoded updates it received and forwards them when the round is reduced.
    /// </summary>
    bool NeedsUpdates => false;

    /// <summary>
    /// Moves <paramref name="model"/> by the round's reduced update. <paramref name="state"/> holds the arrays named by
    /// <see cref="StateArrays"/>, updated in place; <paramref name="step"/> counts the steps taken, this one included (1, 2, ...).
    /// </summary>
    void Apply(FedAvgAggregator round, Span<float> model, float[][] state, int step);
}
