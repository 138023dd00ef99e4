using Orleans.Concurrency;

namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// One federation's round state machine: clients join, a seeded selection of them trains each round, their
/// updates are averaged (FedAvg, weighted by sample count) into the next global model version, which is
/// evaluated and published. Keyed by federation id.
/// </summary>
[Alias("PoolCompress.IFederationGrain")]
public interface IFederationGrain : IGrainWithStringKey
{
    /// <summary>Creates the federation, or resumes it when storage already holds the same federation.</summary>
    [Alias("Configure")] Task<FederationStatus> Configure(FederationSettings settings);

    [Alias("Join")] Task<FederationSettings> Join(string clientId, long sampleCount);

    [Alias("GetAssignment")] Task<TaskAssignment> GetAssignment(string clientId);

    /// <summary>Completes when the federation's state moves past <paramref name="knownStateVersion"/>, or at the timeout.</summary>
    [AlwaysInterleave, Alias("WaitForChange")] Task WaitForChange(long knownStateVersion, TimeSpan timeout);

    /// <summary>Whether an update for this round and base version would be taken, asked before its payload is read.</summary>
    [Alias("CheckUpdate")] Task<UpdateVerdict> CheckUpdate(string clientId, int round, long baseModelVersion);

    [Alias("SubmitUpdate")]
    Task<UpdateVerdict> SubmitUpdate(string clientId, int round, long baseModelVersion, Immutable<float[]> delta, TrainingReport training);

    /// <summary>Records that a selected client's update was unusable, so the round need not wait for it.</summary>
    [Alias("RejectUpdate")] Task RejectUpdate(string clientId, int round, string reason);

    [AlwaysInterleave, Alias("GetStatus")] Task<FederationStatus> GetStatus();
}
