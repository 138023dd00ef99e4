using Microsoft.Extensions.Logging;
using PoolCompress.Coordinator.Models;
using PoolCompress.Coordinator.SecureRounds;
using PoolCompress.Coordinator.Strategies;
using PoolCompress.Coordinator.Telemetry;

namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// A federation's grain: holds its state and timers and answers clients in its turns. The round's life is in
/// <see cref="FederationRun"/> and the plain classes it drives: <see cref="RoundLifecycle"/>, <see cref="RoundCloser"/>,
/// <see cref="RoundReducer"/>, <see cref="FederatedEvaluationRound"/> and <see cref="CentralEvaluation"/>.
/// </summary>
public sealed class FederationGrain(
    [PersistentState("federation", FederationGrain.StorageName)] IPersistentState<FederationState> state,
    IModelStore modelStore,
    CoordinatorModel model,
    IGlobalModelEvaluator evaluator,
    DownlinkEncoder downlink,
    IClusterMembershipService membership,
    FederatedStrategy strategy,
    FederationMetrics instruments,
    TimeProvider time,
    ILogger<FederationGrain> logger) : Grain, IFederationGrain, IFederationHost
{
    public const string StorageName = "federation";
    /// <summary>Joins arriving within this window are written to storage together.</summary>
    private static readonly TimeSpan JoinSaveDelay = TimeSpan.FromMilliseconds(200);

    private readonly ChangeSignal _changes = new(time);
    private readonly HashSet<string> _toldDone = new(StringComparer.Ordinal);
    // Built on activation, once the state they work on has been read.
    private RoundLifecycle _round = null!;
    private FederatedEvaluationRound _federatedEvaluation = null!;
    private RoundReducer _reducer = null!;
    private FederationRun _run = null!;
    private IGrainTimer? _timer;
    private IGrainTimer? _joinSave;

    private FederationState Federation => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _round = new RoundLifecycle(Federation, strategy, time, this.GetPrimaryKeyString(), logger);
        _federatedEvaluation = new FederatedEvaluationRound(Federation, strategy, logger);
        _reducer = new RoundReducer(Federation, strategy, new SiloPartialSums(GrainFactory, membership, logger), modelStore, downlink, logger);
        var central = new CentralEvaluation(Federation, evaluator, instruments, logger);
        var closer = new RoundCloser(Federation, _round, _reducer, central, time, logger);
        _run = new FederationRun(Federation, this, _round, closer, _federatedEvaluation, central, _changes, model.DataSpec.Classes.Count, logger);
        if (Federation.Settings is null) return;
        await _reducer.LoadAsync(cancellationToken);
        await central.EvaluateAgainWhatALostActivationLeftUnrecorded(modelStore, _reducer.PublishedSeries, cancellationToken);
        await _run.Advance(_round.OnActivation());
    }

    /// <summary>A deactivation lets the federation's last state write finish rather than cut it off.</summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _run.Finishing.WaitAsync(cancellationToken);

    public async Task<FederationStatus> Configure(FederationSettings settings)
    {
        if (!_round.Configure(settings)) return Status();
        await _reducer.StartAsync(model.CreateInitialWeights());
        await state.WriteStateAsync();
        await _run.ArmDeadline();
        logger.LogInformation("Federation {Federation} configured: {Clients} clients, {Rounds} rounds, model {Model} ({Parameters} parameters)",
            settings.FederationId, settings.Clients, settings.Rounds, settings.Model, model.ParameterCount);
        return Status();
    }

    public async Task<FederationSettings> Join(string clientId, long sampleCount)
    {
        if (_round.AddClient(clientId, sampleCount)) SaveJoinsSoon();
        if (_round.ShouldStartFirstRound) await _run.Advance(RoundOutcome.StartFirstRound);
        return _round.Settings;
    }

    public Task<TaskAssignment> GetAssignment(string clientId)
    {
        _round.ReturnToSelectionPool(clientId);
        var kind = _round.AssignmentFor(clientId, _federatedEvaluation.IsAsked(clientId));
        if (kind == AssignmentKind.Done) _toldDone.Add(clientId);
        return Task.FromResult(new TaskAssignment(kind, Federation.Round, Federation.ModelVersion, _changes.Version, _round.FitConfigFor(clientId, kind),
            kind == AssignmentKind.Train ? SecureTicket(clientId, Federation.Round) : null));
    }

    public Task<SecureRoundTicket?> SecureRoundOf(string clientId, int round) => Task.FromResult(SecureTicket(clientId, round));

    private SecureRoundTicket? SecureTicket(string clientId, int round) =>
        _round.Settings.SecureAggregation && _round.IsOpen && round == Federation.Round && Federation.Selected.Contains(clientId) && _round.Deadline is { } deadline
            ? SecureRoundTicket.For(_round.Settings, _round.Current!.Attempt, Federation.ModelVersion, Federation.Selected, deadline, model.ParameterCount)
            : null;

    public Task WaitForChange(long knownStateVersion, TimeSpan timeout) => _changes.WaitAsync(knownStateVersion, timeout);

    public Task<UpdateVerdict> CheckUpdate(string clientId, int round, long baseModelVersion) =>
        Task.FromResult(_round.Verdict(clientId, round, baseModelVersion));

    public Task<UpdateAdmission> AdmitUpdate(string clientId, int round, long baseModelVersion, string partialKey, TrainingReport training) =>
        Task.FromResult(_run.CloseRoundSoonIfSettled(_round.Admit(clientId, round, baseModelVersion, partialKey, training)));

    public Task<UpdateVerdict> ConfirmUpdate(string clientId, RoundAttempt attempt, string partialKey) =>
        Task.FromResult(_run.CloseRoundSoonIfSettled(_round.Confirm(clientId, attempt, partialKey)));

    public Task RejectUpdate(string clientId, int round, string reason)
    {
        _round.Reject(clientId, round, reason);
        return _run.CloseRoundSoonIfSettled(Task.CompletedTask);
    }

    public Task<UpdateVerdict> ReportEvaluation(int round, long modelVersion, ClientEvaluation evaluation) =>
        Task.FromResult(_run.FinishEvaluationSoonIfAnswered(_federatedEvaluation.Report(round, modelVersion, evaluation)));

    public Task RejectEvaluation(string clientId, int round, long modelVersion, string reason)
    {
        _federatedEvaluation.Refuse(clientId, round, modelVersion, reason);
        return _run.FinishEvaluationSoonIfAnswered(Task.CompletedTask);
    }

    public Task<FederationStatus> GetStatus() => Task.FromResult(Status());

    public Task<RoundView> GetRoundView() => Task.FromResult(RoundView.Of(Federation.Phase, Federation.Round, Federation.Selected, _round.Current));

    public Task<int> ClientsYetToHearDone() => Task.FromResult(_round.ClientsYetToHearDone(_toldDone));

    private FederationStatus Status() => new(Federation.Phase, Federation.Round, Federation.ModelVersion, Federation.Clients.Count,
        Federation.History.ToArray(), Federation.Settings, Federation.ClientTotals.Values.OrderBy(c => c.ClientId, StringComparer.Ordinal).ToArray());

    Task IFederationHost.WriteStateAsync() => state.WriteStateAsync();

    void IFederationHost.Arm(TimeSpan dueTime, Func<Task> callback)
    {
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(callback, new GrainTimerCreationOptions(dueTime, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    void IFederationHost.Disarm() => _timer?.Dispose();

    void IFederationHost.Deactivate() => DeactivateOnIdle();

    /// <summary>
    /// Writes new joins once per <see cref="JoinSaveDelay"/> rather than once per join, so that a join storm does not
    /// queue each join behind a storage write. A join lost with a crash before its write costs nothing: the client's
    /// next call finds it unknown and it joins again.
    /// </summary>
    private void SaveJoinsSoon() => _joinSave ??= this.RegisterGrainTimer(async () =>
    {
        _joinSave?.Dispose();
        _joinSave = null;
        await state.WriteStateAsync();
    }, new GrainTimerCreationOptions(JoinSaveDelay, Timeout.InfiniteTimeSpan));
}
