using PoolCompress.Coordinator.Aggregation;

namespace PoolCompress.Coordinator.Strategies;

/// <summary>
/// A federated optimisation strategy, server side: how a round's reduced update moves the global model (FedAvg,
/// server momentum, adaptive server optimizers), and what clients are told for their local training (FedProx).
/// Every strategy here acts on the sample-weighted mean update, reduced once from the silos' partial sums, so
/// multi-silo aggregation and strategies compose; see docs/strategies.md for how robust aggregators that need
/// the individual updates would plug in.
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
    /// Moves <paramref name="model"/> by the round's reduced update. <paramref name="state"/> holds the arrays named by
    /// <see cref="StateArrays"/>, updated in place; <paramref name="step"/> counts the steps taken, this one included (1, 2, ...).
    /// </summary>
    void Apply(FedAvgAggregator round, Span<float> model, float[][] state, int step);
}
