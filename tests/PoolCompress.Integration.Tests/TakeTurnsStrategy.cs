using System.Globalization;
using PoolCompress.Coordinator.Strategies;
using PoolCompress.Learning;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// A strategy from outside the framework, registered by the assembly that brings it: the pool's clients, in id order,
/// take turns (odd rounds ask every other one from the first, even rounds from the second), and each is told a
/// proximal mu and one local epoch more than the client before it. The server step is FedAvg's.
/// </summary>
public sealed class TakeTurnsStrategy(StrategySpec spec) : FedAvgStrategy
{
    private readonly string _mu = FitConfig.Format(spec.NonNegative("mu", 0.1));

    public override IReadOnlyList<ClientFit> ConfigureFit(FitRound round) =>
        [.. round.Pool.Order(StringComparer.Ordinal).Where((_, i) => i % 2 != round.Round % 2).Take(round.Count)
            .Select((client, i) => new ClientFit(client, new Dictionary<string, string>
            {
                [FitConfig.ProximalMu] = _mu,
                [FitConfig.LocalEpochs] = (1 + i).ToString(CultureInfo.InvariantCulture),
            }))];
}
