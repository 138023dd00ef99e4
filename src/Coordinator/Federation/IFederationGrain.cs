using Orleans.Concurrency;

namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// One federation's round state machine: clients join, a seeded selection of them trains each round, their
/// updates are averaged (FedAvg, weighted by sample count) into the next global model version, which is
/// evaluated and published. Updates are summed per silo where they arrive (<c>IPartialAggregateGrain</c>); this
/// grain admits them, records where each went, and reduces the silos' sums once per round. Keyed by federation id.
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

    /// <summary>
    /// Decides whether a decoded update is taken. If so, the receiving silo adds it to its partial sum
    /// (<paramref name="partialKey"/>) and then calls <see cref="ConfirmUpdate"/>; the update itself never comes here.
    /// </summary>
    [Alias("AdmitUpdate")]
    Task<UpdateAdmission> AdmitUpdate(string clientId, int round, long baseModelVersion, string partialKey, TrainingReport training);

    /// <summary>
    /// Records that an admitted update is in its silo's partial sum. The round completes on the last of these, so the
    /// partial sums it then collects hold every update it counts.
    /// </summary>
    [Alias("ConfirmUpdate")]
    Task<UpdateVerdict> ConfirmUpdate(string clientId, RoundAttempt attempt, string partialKey);

    /// <summary>Records that a selected client's update was unusable, so the round need not wait for it.</summary>
    [Alias("RejectUpdate")] Task RejectUpdate(string clientId, int round, string reason);

    /// <summary>Records a client's checked evaluation of the model that round <paramref name="round"/> made (federated evaluation).</summary>
    [Alias("ReportEvaluation")] Task<UpdateVerdict> ReportEvaluation(int round, long modelVersion, ClientEvaluation evaluation);

    /// <summary>Records that a client's evaluation report was malformed, so the evaluation need not wait for it.</summary>
    [Alias("RejectEvaluation")] Task RejectEvaluation(string clientId, int round, long modelVersion, string reason);

    /// <summary>The secure round in progress that <paramref name="clientId"/> is a member of, if it is <paramref name="round"/>'s; null otherwise.</summary>
    [AlwaysInterleave, Alias("SecureRoundOf")] Task<SecureRounds.SecureRoundTicket?> SecureRoundOf(string clientId, int round);

    [AlwaysInterleave, Alias("GetStatus")] Task<FederationStatus> GetStatus();

    /// <summary>The round in progress: each selected client and where its update stands.</summary>
    [AlwaysInterleave, Alias("GetRoundView")] Task<RoundView> GetRoundView();
    /// <summary>Joined clients not yet told that the federation is done (all of them while it runs).</summary>
    [AlwaysInterleave, Alias("ClientsYetToHearDone")] Task<int> ClientsYetToHearDone();
}
