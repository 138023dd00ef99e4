using Microsoft.Extensions.Logging;
using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Models;
using PoolCompress.Coordinator.Privacy;
using PoolCompress.Coordinator.Strategies;
using PoolCompress.Coordinator.Transport;

namespace PoolCompress.Coordinator.Federation;

/// <summary>A round's partial sums reduced into one, with what each silo's sum held.</summary>
internal sealed record ReducedSum(FedAvgAggregator Total, double SummingSeconds, IReadOnlyList<(string Key, CollectedPartial Partial)> Collected);

/// <summary>The model a round made: the new global model and the one clients will hold (they differ under a lossy downlink).</summary>
internal sealed record SteppedModel(float[] Global, float[] Published, long Version);

/// <summary>
/// Turns a round's partial sums into the next model: the cross-silo reduce, client-level DP noise, the strategy's
/// step, the downlink difference (and pruning during training), and the saves to the model store. It holds the models and the strategy's arrays
/// between rounds.
/// </summary>
internal sealed class RoundReducer(FederationState state, FederatedStrategy strategy, IPartialSums partials, IModelStore store, DownlinkEncoder downlink, ILogger logger)
{
    /// <summary>Task bytes of the updates admitted this round into sums of silos found gone, over its attempts.</summary>
    private readonly Dictionary<string, TrafficSnapshot> _lostTaskTraffic = new(StringComparer.Ordinal);
    private float[] _global = [];
    private float[] _published = [];
    private float[] _previousPublished = [];
    private StrategyRun? _strategyRun;

    private FederationSettings Settings => state.Settings!;

    private StrategyRun StrategyRun => _strategyRun ?? throw new InvalidOperationException("the federation's models are not loaded");

    /// <summary>The series that holds the models clients train from (and whose accuracy counts).</summary>
    public string PublishedSeries => downlink.SendsDifferences ? ModelSeries.Published(Settings.FederationId) : ModelSeries.Global(Settings.FederationId);

    public async Task StartAsync(float[] initialWeights)
    {
        _global = _published = _previousPublished = initialWeights;
        _strategyRun = StrategyRun.Start(strategy, Settings.FederationId, initialWeights.Length);
        await SaveAsync();
    }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        _global = await LoadAsync(ModelSeries.Global(Settings.FederationId), cancellationToken);
        _published = downlink.SendsDifferences ? await LoadAsync(ModelSeries.Published(Settings.FederationId), cancellationToken) : _global;
        _previousPublished = downlink.Predicts && state.ModelVersion > 1
            ? await LoadAsync(ModelSeries.Published(Settings.FederationId), state.ModelVersion - 1, cancellationToken)
            : _published;
        _strategyRun = await StrategyRun.LoadAsync(strategy, Settings.FederationId, store, state.ModelVersion, cancellationToken);
    }

    /// <summary>
    /// Collects the partial sum of every live silo and of every silo this attempt's updates went to, and reduces
    /// them, checking each against what its silo confirmed. Null when a sum was lost with its silo (or does not
    /// match); the round then runs again, so every update of the attempt is discarded and none is ever counted
    /// twice or left half-counted.
    /// </summary>
    public async Task<ReducedSum?> ReduceAsync(RoundContributions contributions)
    {
        var keys = partials.LiveKeys(Settings.FederationId).Union(contributions.PartialKeys, StringComparer.Ordinal).ToList();
        var collected = await Task.WhenAll(keys.Select(key => partials.Collect(key, contributions.Attempt)));
        // A lost silo's own counters died with it; the task bytes it sent with each admission are known here too.
        for (int i = 0; i < keys.Count; i++)
            if (collected[i].SiloLost)
                _lostTaskTraffic[keys[i]] = _lostTaskTraffic.GetValueOrDefault(keys[i]) + contributions.TaskTrafficInto(keys[i]);
        var total = new FedAvgAggregator(_global.Length, strategy.NeedsUpdates);
        double summingSeconds = 0;
        for (int i = 0; i < keys.Count; i++)
        {
            var sum = collected[i].Sum;
            if (!contributions.Reconcile(keys[i], sum.Contributors))
            {
                logger.LogWarning("Round {Round} (attempt {Attempt}): the partial sum {Key} does not hold the updates its silo confirmed (the silo is gone); running the round again",
                    contributions.Attempt.Round, contributions.Attempt.Attempt, keys[i]);
                return null;
            }
            total.Add(sum);
            summingSeconds += sum.SummingSeconds;
        }
        return new ReducedSum(total, summingSeconds, keys.Zip(collected).ToArray());
    }

    /// <summary>
    /// The next model: noised (under DP) and moved by the strategy, or as it was when every update missed its
    /// (emulated) deadline; and the model clients will hold once they apply its downlink difference.
    /// </summary>
    public SteppedModel Step(FedAvgAggregator total, RoundAttempt attempt, ClientLevelPrivacy? privacy)
    {
        var next = (float[])_global.Clone();
        if (total.Updates > 0)
        {
            privacy?.Release(total, attempt, (double)state.Selected.Count / state.Clients.Count, state.SpentRdp);
            StrategyRun.AggregateFit(total.ToWeightedUpdates(), next, ++state.StrategySteps);
        }
        long version = state.ModelVersion + 1;
        var published = downlink.Publish(next, _published, _previousPublished, version);
        return new SteppedModel(next, published, version);
    }

    /// <summary>Makes <paramref name="stepped"/> the federation's model and saves it with the strategy's arrays.</summary>
    public async Task CommitAsync(SteppedModel stepped)
    {
        state.ModelVersion = stepped.Version;
        _global = stepped.Global;
        _previousPublished = _published;
        _published = stepped.Published;
        await SaveAsync();
    }

    /// <summary>The bytes the round spent over every silo, and how many silos it found gone for good (<see cref="RoundTraffic"/>).</summary>
    public (TrafficSnapshot Spent, int SilosLost) CloseTraffic(ReducedSum sum)
    {
        var closed = RoundTraffic.Close(state.SiloTraffic, sum.Collected, _lostTaskTraffic, partials.IsGone);
        _lostTaskTraffic.Clear();
        return closed;
    }

    private Task<float[]> LoadAsync(string series, CancellationToken cancellationToken) => LoadAsync(series, state.ModelVersion, cancellationToken);

    private async Task<float[]> LoadAsync(string series, long version, CancellationToken cancellationToken) =>
        await store.LoadAsync(series, version, cancellationToken)
        ?? throw new InvalidOperationException($"federation '{Settings.FederationId}' is at model version {state.ModelVersion}, and the model store does not hold version {version} of {series}");

    private async Task SaveAsync()
    {
        await store.SaveAsync(ModelSeries.Global(Settings.FederationId), state.ModelVersion, _global);
        if (downlink.SendsDifferences) await store.SaveAsync(ModelSeries.Published(Settings.FederationId), state.ModelVersion, _published);
        await StrategyRun.SaveAsync(store, state.ModelVersion);
    }
}
