namespace PoolCompress.Learning;

/// <summary>
/// Local training settings; <paramref name="Seed"/> fixes the minibatch order. <paramref name="Momentum"/> is
/// SGD's heavy-ball momentum (0 for plain SGD); its buffer starts empty in every call, as in FedAvg with local momentum.
/// <paramref name="ProximalMu"/> is FedProx's mu: the local loss gains mu/2 ||w - w_start||^2 (0 for none).
/// </summary>
public sealed record TrainingOptions(int Epochs, int BatchSize, double LearningRate, long Seed, double Momentum = 0, double ProximalMu = 0)
{
    /// <summary>Pruning during training: per parameter, in the model's order, whether its zero weights are pruned and
    /// stay zero through every step; null when nothing is pruned.</summary>
    public IReadOnlyList<bool>? Pruned { get; init; }
}
