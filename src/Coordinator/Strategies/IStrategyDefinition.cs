namespace PoolCompress.Coordinator.Strategies;

/// <summary>
/// A strategy a plug-in assembly brings (<c>--plugin-assembly</c>): its public class implementing this, with a public
/// parameterless constructor, is registered in <see cref="FederatedStrategies"/> under <see cref="Name"/>.
/// </summary>
public interface IStrategyDefinition
{
    /// <summary>What a strategy spec calls it, e.g. <c>take-turns</c> in <c>take-turns:mu=0.1</c>.</summary>
    string Name { get; }

    /// <summary>The strategy a spec of this name describes; reading an argument the spec lacks or gives badly throws <see cref="ArgumentException"/>.</summary>
    FederatedStrategy Create(StrategySpec spec);
}
