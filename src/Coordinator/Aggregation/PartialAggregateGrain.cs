using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;
using PoolCompress.Coordinator.Strategies;
using PoolCompress.Coordinator.Transport;

namespace PoolCompress.Coordinator.Aggregation;

/// <summary>
/// One silo's partial FedAvg sum for the round attempt in progress. It lives on the silo its key names, whoever
/// calls it first (<see cref="NamedSiloPlacement"/>): a decoded update is summed where it arrived,
/// without being copied, and the silo's traffic meter is the one it reads; it also takes the other silos' traffic
/// reports for the silo's <see cref="SiloTrafficWitness"/>. Kept alive between rounds so an idle round does not lose
/// the sum. An activation on any other silo is a stand-in for a silo that is gone: it holds nothing, reports no
/// traffic, and leaves after answering. For a strategy that needs the updates themselves (robust
/// rules), it also keeps each decoded update whole and hands them over with the sum.
/// </summary>
[NamedSiloPlacement, KeepAlive]
public sealed class PartialAggregateGrain(
    CoordinatorModel model, TrafficMeter traffic, SiloTrafficWitness witness, ILocalSiloDetails localSilo, FederatedStrategy strategy,
    ILogger<PartialAggregateGrain> logger)
    : Grain, IPartialAggregateGrain
{
    private readonly bool _keepUpdates = strategy.NeedsUpdates;
    private readonly List<string> _contributors = [];
    private RoundAttempt _held;
    private RoundAttempt _collected;
    private FedAvgAggregator? _sum;
    private TimeSpan _summing;

    private bool OnItsOwnSilo => PartialAggregateKey.Names(this.GetPrimaryKeyString(), localSilo.SiloAddress);

    public Task<UpdateVerdict> Add(RoundAttempt attempt, string clientId, long weight, Immutable<float[]> update)
    {
        var verdict = Admits(attempt, [clientId]);
        if (verdict != UpdateVerdict.Accepted) return Task.FromResult(verdict);
        long started = Stopwatch.GetTimestamp();
        _sum!.Add(clientId, update.Value, weight);
        _summing += Stopwatch.GetElapsedTime(started);
        _contributors.Add(clientId);
        logger.LogDebug("Round {Round} (attempt {Attempt}): update from {Client} added to the partial sum of {Key} ({Count} so far)",
            attempt.Round, attempt.Attempt, clientId, this.GetPrimaryKeyString(), _contributors.Count);
        return Task.FromResult(UpdateVerdict.Accepted);
    }

    public Task<UpdateVerdict> AddSum(RoundAttempt attempt, Immutable<PartialSum> sum)
    {
        var verdict = Admits(attempt, sum.Value.Contributors);
        if (verdict != UpdateVerdict.Accepted) return Task.FromResult(verdict);
        _sum!.Add(sum.Value);
        _summing += TimeSpan.FromSeconds(sum.Value.SummingSeconds);
        _contributors.AddRange(sum.Value.Contributors);
        return Task.FromResult(UpdateVerdict.Accepted);
    }

    /// <summary>Whether updates of <paramref name="clients"/> may join the attempt's sum, which it starts when it is new.</summary>
    private UpdateVerdict Admits(RoundAttempt attempt, IEnumerable<string> clients)
    {
        if (attempt <= _collected || attempt < _held) return UpdateVerdict.Stale;
        if (_sum is null || attempt > _held) Start(attempt);
        return clients.Any(c => _contributors.Contains(c, StringComparer.Ordinal)) ? UpdateVerdict.Duplicate : UpdateVerdict.Accepted;
    }

    public Task<CollectedPartial> Collect(RoundAttempt attempt)
    {
        if (attempt > _collected) _collected = attempt;
        var sum = PartialSum.Empty;
        if (attempt >= _held && _sum is not null)
        {
            if (attempt == _held) sum = _sum.ToPartialSum([.. _contributors], _summing.TotalSeconds);
            _sum = null;
            _contributors.Clear();
        }
        if (!OnItsOwnSilo)
        {
            DeactivateOnIdle();
            return Task.FromResult(CollectedPartial.Lost);
        }
        return Task.FromResult(new CollectedPartial(sum, traffic.Snapshot(), Witnessed: witness.Reported));
    }

    public Task Witness(string siloKey, TrafficSnapshot counters)
    {
        if (OnItsOwnSilo) witness.Record(siloKey, counters);
        else DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private void Start(RoundAttempt attempt)
    {
        if (_sum is not null)
            logger.LogDebug("Partial sum of {Key} for round {Round} (attempt {Attempt}) dropped uncollected: the round was restarted",
                this.GetPrimaryKeyString(), _held.Round, _held.Attempt);
        _held = attempt;
        _sum = new FedAvgAggregator(model.ParameterCount, _keepUpdates);
        _contributors.Clear();
        _summing = TimeSpan.Zero;
    }
}
