namespace PoolCompress.Coordinator.Strategies;

/// <summary>The strategies a federation can run, by name: adding one is one file and one line here.</summary>
public static class FederatedStrategies
{
    private static readonly Dictionary<string, Func<StrategySpec, IFederatedStrategy>> Factories = new(StringComparer.Ordinal)
    {
        ["fedavg"] = _ => new FedAvgStrategy(),
        ["fedprox"] = spec => new FedProxStrategy(spec),
        ["fedavgm"] = spec => new FedAvgMStrategy(spec),
        ["fedadam"] = spec => new FedAdamStrategy(spec),
        ["fedyogi"] = spec => new FedYogiStrategy(spec),
        ["fedadagrad"] = spec => new FedAdagradStrategy(spec),
        ["median"] = _ => TrimmedMeanStrategy.Median(),
        ["trimmed"] = spec => new TrimmedMeanStrategy(spec),
        ["multikrum"] = spec => new MultiKrumStrategy(spec),
    };

    public static IEnumerable<string> Names => Factories.Keys;

    /// <summary>Builds the strategy a spec names; an <see cref="ArgumentException"/> says what is wrong with it.</summary>
    public static IFederatedStrategy Create(string? text)
    {
        var spec = StrategySpec.Parse(text);
        if (!Factories.TryGetValue(spec.Name, out var create))
            throw new ArgumentException($"strategy '{spec.Name}' is unknown; allowed: {string.Join(", ", Names)}");
        var strategy = create(spec);
        spec.RejectUnread();
        return strategy;
    }
}
