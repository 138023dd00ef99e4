using Orleans.Concurrency;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Transport;

namespace PoolCompress.Coordinator.Aggregation;

/// <summary>
/// The sum of the updates one silo received in a federation's round attempt in progress (keyed by
/// <see cref="PartialAggregateKey"/>). The silo's gRPC service adds each update the federation grain admitted; the
/// federation grain collects every live silo's sum once per round and reduces them into the next global model.
/// </summary>
[Alias("PoolCompress.IPartialAggregateGrain")]
public interface IPartialAggregateGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds a client's decoded update with its FedAvg weight. <see cref="UpdateVerdict.Stale"/> when the attempt was
    /// already collected or superseded, <see cref="UpdateVerdict.Duplicate"/> when the client's update is already in.
    /// </summary>
    [Alias("Add")]
    Task<UpdateVerdict> Add(RoundAttempt attempt, string clientId, long weight, Immutable<float[]> update);

    /// <summary>
    /// Adds a sum formed elsewhere, of its contributors' updates (a secure round's unmasked sum: no update is seen
    /// alone); verdicts as <see cref="Add"/>, <see cref="UpdateVerdict.Duplicate"/> when any contributor is already in.
    /// </summary>
    [Alias("AddSum")]
    Task<UpdateVerdict> AddSum(RoundAttempt attempt, Immutable<PartialSum> sum);

    /// <summary>
    /// Hands over the attempt's sum (with the silo's socket counters and those its peers last reported to it) and
    /// closes the attempt: later adds for it are refused, so an update that arrives after the round was reduced can
    /// never be counted.
    /// </summary>
    [Alias("Collect")]
    Task<CollectedPartial> Collect(RoundAttempt attempt);

    /// <summary>Another silo's socket counters (<paramref name="siloKey"/> names its partial aggregate), kept here in case it dies.</summary>
    [Alias("Witness")]
    Task Witness(string siloKey, TrafficSnapshot counters);
}
