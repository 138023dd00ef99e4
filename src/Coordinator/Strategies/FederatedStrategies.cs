namespace PoolCompress.Coordinator.Strategies;

/// <summary>
/// The strategies a federation can run, by name: adding one is one file and one <see cref="Register"/> line, here
/// for the built-in ones or in the assembly that brings it.
/// </summary>
public static class FederatedStrategies
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, Func<StrategySpec, FederatedStrategy>> Factories = new(StringComparer.Ordinal)
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
        ["consensus"] = _ => new ConsensusStrategy(),
    };

    public static IReadOnlyList<string> Names
    {
        get { lock (Gate) return [.. Factories.Keys]; }
    }

    /// <summary>Adds a strategy under <paramref name="name"/>; registering the same factory again is harmless.</summary>
    /// <exception cref="ArgumentException">The name is not a lower-case word, or another strategy holds it.</exception>
    public static void Register(string name, Func<StrategySpec, FederatedStrategy> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
            throw new ArgumentException($"strategy name '{name}' must be lower-case letters, digits, '-' or '_'", nameof(name));
        lock (Gate)
        {
            if (Factories.TryGetValue(name, out var taken) && taken != create)
                throw new ArgumentException($"strategy name '{name}' is taken", nameof(name));
            Factories[name] = create;
        }
    }

    /// <summary>Builds the strategy a spec names; an <see cref="ArgumentException"/> says what is wrong with it.</summary>
    public static FederatedStrategy Create(string? text)
    {
        var spec = StrategySpec.Parse(text);
        Func<StrategySpec, FederatedStrategy>? create;
        lock (Gate) Factories.TryGetValue(spec.Name, out create);
        if (create is null)
            throw new ArgumentException($"strategy '{spec.Name}' is unknown; allowed: {string.Join(", ", Names)}");
        var strategy = create(spec);
        spec.RejectUnread();
        return strategy;
    }
}
