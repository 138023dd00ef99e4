using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Models;

namespace PoolCompress.Coordinator.Strategies;

/// <summary>
/// A federation's strategy together with the model-sized arrays it carries between rounds. The arrays are saved
/// in the model store under the same version as the global model they belong to, so a coordinator that restarts
/// from a model version resumes the strategy from exactly that point.
/// </summary>
public sealed class StrategyRun
{
    private readonly FederatedStrategy _strategy;
    private readonly string _federationId;
    private readonly float[][] _state;

    private StrategyRun(FederatedStrategy strategy, string federationId, float[][] state)
    {
        _strategy = strategy;
        _federationId = federationId;
        _state = state;
    }

    /// <summary>A strategy's first round: its arrays all zero.</summary>
    public static StrategyRun Start(FederatedStrategy strategy, string federationId, int parameterCount) =>
        new(strategy, federationId, [.. strategy.StateArrays.Select(_ => new float[parameterCount])]);

    /// <summary>The strategy as it was when <paramref name="version"/> of the model was saved.</summary>
    public static async Task<StrategyRun> LoadAsync(FederatedStrategy strategy, string federationId, IModelStore store, long version, CancellationToken cancellationToken)
    {
        var state = new float[strategy.StateArrays.Count][];
        for (int i = 0; i < state.Length; i++)
        {
            string series = ModelSeries.StrategyState(federationId, strategy.StateArrays[i]);
            state[i] = await store.LoadAsync(series, version, cancellationToken)
                ?? throw new InvalidOperationException($"federation '{federationId}' is at model version {version}, for which the model store holds no strategy state ({series})");
        }
        return new StrategyRun(strategy, federationId, state);
    }

    /// <summary>Moves <paramref name="model"/> by the round's updates; <paramref name="step"/> counts steps taken, this one included.</summary>
    public void AggregateFit(WeightedUpdates round, Span<float> model, int step) => _strategy.AggregateFit(round, model, _state, step);

    public async Task SaveAsync(IModelStore store, long version)
    {
        for (int i = 0; i < _state.Length; i++)
            await store.SaveAsync(ModelSeries.StrategyState(_federationId, _strategy.StateArrays[i]), version, _state[i]);
    }
}
