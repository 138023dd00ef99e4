using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Models;
using PoolCompress.Coordinator.Privacy;
using PoolCompress.Coordinator.Telemetry;
using PoolCompress.Coordinator.Strategies;
using PoolCompress.Coordinator.Transport;

namespace PoolCompress.Coordinator.Federation;

public sealed partial class FederationGrain(
    [PersistentState("federation", FederationGrain.StorageName)] IPersistentState<FederationState> state,
    IModelStore modelStore,
    CoordinatorModel model,
    IGlobalModelEvaluator evaluator,
    DownlinkEncoder downlink,
    IClusterMembershipService membership,
    FederatedStrategy strategy,
    FederationMetrics instruments,
    ILogger<FederationGrain> logger) : Grain, IFederationGrain
{
    public const string StorageName = "federation";
    /// <summary>Joins arriving within this window are written to storage together.</summary>
    private static readonly TimeSpan JoinSaveDelay = TimeSpan.FromMilliseconds(200);

    private RoundContributions? _round;
    /// <summary>The last attempt that was reduced into a model, to answer a confirmation that arrives after the reduce.</summary>
    private RoundContributions? _lastReduced;
    private EmulatedLinks? _links;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _stateVersion;
    private float[]? _globalModel;
    private float[]? _publishedModel;
    private StrategyRun? _strategy;
    /// <summary>Task bytes of the updates admitted this round into sums of silos found gone, over its attempts.</summary>
    private readonly Dictionary<string, TrafficSnapshot> _lostTaskTraffic = new(StringComparer.Ordinal);
    private IGrainTimer? _timer;
    private Activity? _roundSpan;
    private IGrainTimer? _joinSave;
    private readonly HashSet<string> _toldDone = new(StringComparer.Ordinal);

    private FederationState S => state.State;

    private FederationSettings Settings =>
        S.Settings ?? throw new InvalidOperationException($"federation '{this.GetPrimaryKeyString()}' has not been configured");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Settings is null) return;
        _globalModel = await Load(ModelSeries.Global(S.Settings.FederationId), cancellationToken);
        _publishedModel = downlink.SendsDifferences ? await Load(ModelSeries.Published(S.Settings.FederationId), cancellationToken) : _globalModel;
        _strategy = await StrategyRun.LoadAsync(strategy, S.Settings.FederationId, modelStore, S.ModelVersion, cancellationToken);
        await EvaluateAgainWhatALostActivationLeftUnrecorded(cancellationToken);
        if (S.Phase == FederationPhase.Training)
        {
            logger.LogInformation("Resuming federation {Federation} at round {Round} from model version {Version}",
                S.Settings.FederationId, S.Round, S.ModelVersion);
            await StartRound(S.Round, S.Attempt + 1, sameClients: true);
        }
        else if (S.Phase == FederationPhase.Evaluating)
        {
            await StartEvaluation();
        }
        else if (S.Phase == FederationPhase.WaitingForClients)
        {
            ArmTimer(S.Settings.JoinTimeout, OnJoinTimeout);
        }
    }

    public async Task<FederationStatus> Configure(FederationSettings settings)
    {
        if (S.Settings is not null)
        {
            if (S.Settings != settings)
                throw new InvalidOperationException(
                    $"storage already holds federation '{S.Settings.FederationId}' with other settings; use another federation id or clear the storage");
            return Status();
        }
        S.Settings = settings;
        S.ModelVersion = 1;
        S.Phase = FederationPhase.WaitingForClients;
        S.ClipBound = settings.FirstClipBound();
        _globalModel = _publishedModel = model.CreateInitialWeights();
        _strategy = StrategyRun.Start(strategy, settings.FederationId, _globalModel.Length);
        await Save(_globalModel, _publishedModel);
        await state.WriteStateAsync();
        ArmTimer(settings.JoinTimeout, OnJoinTimeout);
        logger.LogInformation("Federation {Federation} configured: {Clients} clients, {Rounds} rounds, model {Model} ({Parameters} parameters)",
            settings.FederationId, settings.Clients, settings.Rounds, settings.Model, model.ParameterCount);
        return Status();
    }

    public async Task<FederationSettings> Join(string clientId, long sampleCount)
    {
        var settings = Settings;
        ReturnToSelectionPool(clientId);
        // A client's weight is fixed at its first join: joining again with another count must not re-weight it.
        if (!S.Clients.ContainsKey(clientId))
        {
            S.Clients[clientId] = ClientWeights.For(sampleCount, settings);
            SaveJoinsSoon();
            logger.LogInformation("Client {Client} joined with {Samples} samples, weight {Weight} ({Joined}/{Expected})",
                clientId, sampleCount, S.Clients[clientId], S.Clients.Count, settings.Clients);
        }
        if (S.Phase == FederationPhase.WaitingForClients && S.Clients.Count >= settings.Clients)
            await StartRound(1, 0);
        return settings;
    }

    public Task<TaskAssignment> GetAssignment(string clientId)
    {
        ReturnToSelectionPool(clientId);
        var kind = !S.Clients.ContainsKey(clientId) ? AssignmentKind.NotJoined
            : S.Phase == FederationPhase.Done ? AssignmentKind.Done
            : RoundIsOpen && S.Selected.Contains(clientId) && !_round!.HasAnswered(clientId) ? AssignmentKind.Train
            : IsAskedToEvaluate(clientId) ? AssignmentKind.Evaluate
            : AssignmentKind.Wait;
        if (kind == AssignmentKind.Done) _toldDone.Add(clientId);
        return Task.FromResult(new TaskAssignment(kind, S.Round, S.ModelVersion, _stateVersion,
            kind == AssignmentKind.Train ? S.FitConfigs.GetValueOrDefault(clientId) : null));
    }

    public async Task WaitForChange(long knownStateVersion, TimeSpan timeout)
    {
        if (knownStateVersion != _stateVersion) return;
        await Task.WhenAny(_changed.Task, Task.Delay(timeout));
    }

    public Task<UpdateVerdict> CheckUpdate(string clientId, int round, long baseModelVersion) =>
        Task.FromResult(Verdict(clientId, round, baseModelVersion));

    public Task<UpdateAdmission> AdmitUpdate(string clientId, int round, long baseModelVersion, string partialKey, TrainingReport training)
    {
        var verdict = Verdict(clientId, round, baseModelVersion);
        if (verdict != UpdateVerdict.Accepted) return Task.FromResult(UpdateAdmission.Refused(verdict));
        var contributions = _round!;
        // A re-admitted client (its first silo never confirmed) already passed the link check.
        if (_links is not null && !contributions.IsAdmitted(clientId) && !_links.Arrives(clientId, training))
        {
            contributions.MarkLate(clientId, training);
            CloseRoundSoonIfSettled();
            return Task.FromResult(UpdateAdmission.Refused(UpdateVerdict.TooLate));
        }
        contributions.Admit(clientId, partialKey, training);
        return Task.FromResult(new UpdateAdmission(UpdateVerdict.Accepted, contributions.Attempt, S.Clients[clientId], S.ClipBound));
    }

    public Task<UpdateVerdict> ConfirmUpdate(string clientId, RoundAttempt attempt, string partialKey)
    {
        if (RoundIsOpen && _round?.Attempt == attempt)
        {
            if (!_round.Deliver(clientId, partialKey))
                return Task.FromResult(_round.IsDelivered(clientId) ? UpdateVerdict.Duplicate : UpdateVerdict.Stale);
            CloseRoundSoonIfSettled();
            return Task.FromResult(UpdateVerdict.Accepted);
        }
        // The round was reduced at its deadline while this add was landing: the sum counted it if it held it.
        return Task.FromResult(_lastReduced?.Attempt == attempt && _lastReduced.IsDelivered(clientId) ? UpdateVerdict.Accepted : UpdateVerdict.Stale);
    }

    public Task RejectUpdate(string clientId, int round, string reason)
    {
        if (Verdict(clientId, round, S.ModelVersion) != UpdateVerdict.Accepted) return Task.CompletedTask;
        logger.LogWarning("Round {Round}: update from {Client} rejected: {Reason}", round, clientId, reason);
        _round!.Reject(clientId);
        CloseRoundSoonIfSettled();
        return Task.CompletedTask;
    }

    public Task<FederationStatus> GetStatus() => Task.FromResult(Status());

    public Task<RoundView> GetRoundView() => Task.FromResult(RoundView.Of(S.Phase, S.Round, S.Selected, _round));

    public Task<int> ClientsYetToHearDone() =>
        Task.FromResult(S.Phase == FederationPhase.Done ? S.Clients.Keys.Count(c => !_toldDone.Contains(c)) : S.Clients.Count);

    private FederationStatus Status() =>
        new(S.Phase, S.Round, S.ModelVersion, S.Clients.Count, S.History.ToArray(), S.Settings,
            S.ClientTotals.Values.OrderBy(c => c.ClientId, StringComparer.Ordinal).ToArray());

    private UpdateVerdict Verdict(string clientId, int round, long baseModelVersion)
    {
        if (!RoundIsOpen || round != S.Round || baseModelVersion != S.ModelVersion) return UpdateVerdict.Stale;
        if (!S.Selected.Contains(clientId)) return UpdateVerdict.NotSelected;
        return _round!.IsSettled(clientId) ? UpdateVerdict.Duplicate : UpdateVerdict.Accepted;
    }

    /// <param name="sameClients">
    /// For an attempt that reruns a round whose updates were lost (a coordinator restart, a lost silo): the same
    /// clients are asked again, so they resend the updates they already sent and the round ends as it would have.
    /// </param>
    private async Task StartRound(int round, int attempt, bool sameClients = false)
    {
        var settings = Settings;
        S.Phase = FederationPhase.Training;
        S.Round = round;
        S.Attempt = attempt;
        // Zero: a state written before the target was kept.
        if (!sameClients || S.RoundTarget == 0) S.RoundTarget = settings.ClientsPerRound(S.Clients.Count);
        if (!sameClients)
            SelectClients(strategy.SelectForFit(new FitRound([.. S.Clients.Keys.Where(InSelectionPool)], settings.OverSelected(S.RoundTarget), settings.Seed, round, attempt)));
        if (attempt == 0) S.RoundStartedUtc = DateTime.UtcNow;
        await state.WriteStateAsync();
        _round = new RoundContributions(new RoundAttempt(round, attempt));
        _roundSpan?.Stop();
        _roundSpan = RoundTracing.StartRound(settings.FederationId, round, attempt, S.Selected);
        _links = settings.LinkMode == LinkMode.Modeled ? new EmulatedLinks(settings, S.Clients.Keys) : null;
        ArmTimer(settings.RoundTimeout, OnRoundDeadline);
        SignalChange();
        logger.LogInformation("Round {Round} started (attempt {Attempt}) with {Count} clients", round, attempt, S.Selected.Count);
    }

    /// <summary>
    /// Once the round can close, closes it in a turn of its own: the client call that settled it returns at once,
    /// and reducing, evaluating and saving never run inside (or count against the timeout of) a client's call.
    /// </summary>
    private void CloseRoundSoonIfSettled()
    {
        if (RoundCanClose()) ArmTimer(TimeSpan.Zero, () => RoundIsOpen && RoundCanClose() ? CompleteRound() : Task.CompletedTask);
    }

    private bool RoundCanClose() => S.Selected.All(_round!.IsSettled) || _round.Delivered >= S.RoundTarget;

    private async Task OnRoundDeadline()
    {
        if (!RoundIsOpen) return;
        int missing = S.Selected.Count(c => !_round!.IsSettled(c));
        logger.LogWarning("Round {Round} reached its deadline with {Missing} of {Selected} clients missing",
            S.Round, missing, S.Selected.Count);
        await CompleteRound(atDeadline: true);
    }

    private async Task OnJoinTimeout()
    {
        if (S.Phase != FederationPhase.WaitingForClients) return;
        if (S.Clients.Count >= Settings.MinClients)
            await StartRound(1, 0);
        else
            ArmTimer(Settings.JoinTimeout, OnJoinTimeout);
    }

    private async Task CompleteRound(bool atDeadline = false)
    {
        _timer?.Dispose();
        var settings = Settings;
        var contributions = _round!;
        CountMissedDeadlines(contributions, atDeadline);
        long reduceStart = Stopwatch.GetTimestamp();
        (FedAvgAggregator Total, double SummingSeconds, (string Key, CollectedPartial Partial)[] Collected)? reduced;
        using (RoundTracing.StartAggregate(_roundSpan)) reduced = await Reduce(contributions);
        if (reduced is not { } sum)
        {
            await StartRound(S.Round, S.Attempt + 1, sameClients: true);
            return;
        }
        if (sum.Total.Updates == 0 && contributions.Late == 0)
        {
            logger.LogWarning("Round {Round} ended without a usable update; selecting clients again", S.Round);
            await StartRound(S.Round, S.Attempt + 1);
            return;
        }

        var next = (float[])_globalModel!.Clone();
        // A round whose every update missed its (emulated) deadline still took its time; the model stays as it was.
        var privacy = ClientLevelPrivacy.For(settings);
        if (sum.Total.Updates > 0)
        {
            privacy?.Release(sum.Total, contributions.Attempt, (double)S.Selected.Count / S.Clients.Count, S.SpentRdp);
            _strategy!.AggregateFit(sum.Total.ToWeightedUpdates(), next, ++S.StrategySteps);
        }
        double aggregationSeconds = sum.SummingSeconds + Stopwatch.GetElapsedTime(reduceStart).TotalSeconds;
        _lastReduced = contributions;
        long version = S.ModelVersion + 1;
        var published = downlink.SendsDifferences
            ? downlink.Apply(_publishedModel!, downlink.Difference(next, _publishedModel!, version))
            : next;
        // Clients train from the published model, so that is the one whose accuracy counts. It is evaluated while
        // the next round runs; its metrics join the history when the evaluation is done.
        var evaluation = evaluator.EvaluateAsync(published);
        S.ModelVersion = version;
        await Save(next, published);

        var reports = contributions.Reports.ToList();
        foreach (var (clientId, training) in reports)
            S.ClientTotals[clientId] = (S.ClientTotals.GetValueOrDefault(clientId) ?? new ClientTotals(clientId, 0, 0, 0)).Add(training);
        int stragglers = contributions.Stragglers(S.Selected);
        var (spent, silosLost) = RoundTraffic.Close(S.SiloTraffic, sum.Collected, _lostTaskTraffic, IsGone);
        _lostTaskTraffic.Clear();
        if (silosLost > 0)
            logger.LogWarning("Round {Round}: {Lost} silo(s) lost; their bytes are counted up to their last traffic report", S.Round, silosLost);
        var metrics = new RoundMetrics(
            Round: S.Round,
            TestAccuracy: double.NaN,
            TestLoss: double.NaN,
            Participants: sum.Total.Updates,
            Selected: S.Selected.Count,
            UplinkBytes: spent.Accepted,
            DownlinkBytes: spent.Sent,
            WallSeconds: (DateTime.UtcNow - S.RoundStartedUtc).TotalSeconds,
            MacroF1: double.NaN,
            MeanTrainLoss: reports.Select(r => r.Value.MeanLoss).DefaultIfEmpty().Average(),
            ModelVersion: version,
            AggregationSeconds: aggregationSeconds,
            Rejected: contributions.Rejected,
            PerClassRecall: [],
            Stragglers: stragglers,
            ModeledSeconds: _links?.RoundDuration(everyoneOnTime: stragglers == 0).TotalSeconds ?? 0,
            MeanTrainSeconds: reports.Select(r => r.Value.Seconds).DefaultIfEmpty().Average(),
            MaxTrainSeconds: reports.Select(r => r.Value.Seconds).DefaultIfEmpty().Max(),
            ClientPeakMemoryBytes: reports.Select(r => r.Value.PeakMemoryBytes).DefaultIfEmpty().Max(),
            RejectedBytes: spent.Rejected,
            Clipped: reports.Count(r => r.Value.UpdateNorm > S.ClipBound),
            DpEpsilon: privacy?.Epsilon(S.SpentRdp),
            ClipBound: S.ClipBound,
            ProcessPeakMemoryBytes: reports.Select(r => r.Value.ProcessPeakMemoryBytes).DefaultIfEmpty().Max(),
            SilosLost: silosLost);
        if (settings.ParseAdaptiveClipping() is { } adaptive)
            S.ClipBound = adaptive.NextBound(reports.Select(r => r.Value.UpdateNorm).ToList(), S.ClipBound);
        _globalModel = next;
        _publishedModel = published;
        S.AwaitingEvaluation.Add(metrics);
        RecordWhenEvaluated(metrics, evaluation, _roundSpan);
        _roundSpan = null;
        if (settings.EvaluatesAfter(S.Round))
            await StartEvaluation();
        else
            await StartNextRoundOrFinish();
    }

    private async Task StartNextRoundOrFinish()
    {
        var settings = Settings;
        if (S.Round >= settings.Rounds)
        {
            _lastRoundClosed = true;
            FinishWhenEverythingIsRecorded();
        }
        else
        {
            await StartRound(S.Round + 1, 0);
        }
    }

    private void SelectClients(IReadOnlyList<ClientFit> fits)
    {
        S.Selected = [.. fits.Select(f => f.ClientId)];
        S.FitConfigs = fits.ToDictionary(f => f.ClientId, f => new Dictionary<string, string>(f.Config, StringComparer.Ordinal), StringComparer.Ordinal);
    }

    private bool InSelectionPool(string clientId) =>
        Settings.DropAfterMissed == 0 || S.MissedDeadlines.GetValueOrDefault(clientId) < Settings.DropAfterMissed;

    /// <summary>A client that answered is on time again; one that missed this round's deadline has missed one more in a row.</summary>
    private void CountMissedDeadlines(RoundContributions contributions, bool atDeadline)
    {
        if (Settings.DropAfterMissed == 0) return;
        foreach (string client in S.Selected)
        {
            if (contributions.HasAnswered(client))
            {
                S.MissedDeadlines.Remove(client);
            }
            else if (atDeadline && (S.MissedDeadlines[client] = S.MissedDeadlines.GetValueOrDefault(client) + 1) == Settings.DropAfterMissed)
            {
                logger.LogWarning("Client {Client} missed {Missed} round deadlines in a row; it is not selected again until it calls", client, Settings.DropAfterMissed);
            }
        }
    }

    private void ReturnToSelectionPool(string clientId)
    {
        if (S.Settings is null || InSelectionPool(clientId)) return;
        S.MissedDeadlines.Remove(clientId);
        logger.LogInformation("Client {Client} called again and is back in the selection pool", clientId);
    }

    /// <summary>
    /// Collects the partial sum of every live silo and of every silo this attempt's updates went to, and reduces
    /// them, checking each against what its silo confirmed. Null when a sum was lost with its silo (or does not
    /// match); the round then runs again, so every update of the attempt is discarded and none is ever counted
    /// twice or left half-counted.
    /// </summary>
    private async Task<(FedAvgAggregator Total, double SummingSeconds, (string Key, CollectedPartial Partial)[] Collected)?> Reduce(RoundContributions contributions)
    {
        string federationId = Settings.FederationId;
        var keys = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => PartialAggregateKey.For(federationId, m.SiloAddress))
            .Union(contributions.PartialKeys, StringComparer.Ordinal)
            .ToList();
        var collected = await Task.WhenAll(keys.Select(key => Collect(key, contributions.Attempt)));
        // A lost silo's own counters died with it; the task bytes it sent with each admission are known here too.
        for (int i = 0; i < keys.Count; i++)
            if (collected[i].SiloLost)
                _lostTaskTraffic[keys[i]] = _lostTaskTraffic.GetValueOrDefault(keys[i]) + contributions.TaskTrafficInto(keys[i]);
        var total = new FedAvgAggregator(_globalModel!.Length, strategy.NeedsUpdates);
        double summingSeconds = 0;
        for (int i = 0; i < keys.Count; i++)
        {
            var sum = collected[i].Sum;
            if (!contributions.Reconcile(keys[i], sum.Contributors))
            {
                logger.LogWarning("Round {Round} (attempt {Attempt}): the partial sum {Key} does not hold the updates its silo confirmed (the silo is gone); running the round again",
                    S.Round, S.Attempt, keys[i]);
                return null;
            }
            total.Add(sum);
            summingSeconds += sum.SummingSeconds;
        }
        return (total, summingSeconds, keys.Zip(collected).ToArray());
    }

    /// <summary>Whether the silo a partial aggregate key names has left the cluster for good: declared dead, or from before a restart.</summary>
    private bool IsGone(string partialKey)
    {
        var snapshot = membership.CurrentSnapshot;
        return !snapshot.Members.Values.Any(m => m.Status != SiloStatus.Dead && PartialAggregateKey.Names(partialKey, m.SiloAddress));
    }

    private async Task<CollectedPartial> Collect(string partialKey, RoundAttempt attempt)
    {
        try
        {
            return await GrainFactory.GetGrain<IPartialAggregateGrain>(partialKey).Collect(attempt);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            logger.LogWarning("Round {Round}: partial sum {Key} could not be collected: {Reason}", attempt.Round, partialKey, e.Message);
            return CollectedPartial.Lost;
        }
    }

    private async Task<float[]> Load(string series, CancellationToken cancellationToken) =>
        await modelStore.LoadAsync(series, S.ModelVersion, cancellationToken)
        ?? throw new InvalidOperationException($"federation '{Settings.FederationId}' is at model version {S.ModelVersion}, which the model store does not hold ({series})");

    private async Task Save(float[] global, float[] published)
    {
        await modelStore.SaveAsync(ModelSeries.Global(Settings.FederationId), S.ModelVersion, global);
        if (downlink.SendsDifferences) await modelStore.SaveAsync(ModelSeries.Published(Settings.FederationId), S.ModelVersion, published);
        await _strategy!.SaveAsync(modelStore, S.ModelVersion);
    }

    /// <summary>
    /// Writes new joins once per <see cref="JoinSaveDelay"/> rather than once per join, so that a join storm does not
    /// queue each join behind a storage write. A join lost with a crash before its write costs nothing: the client's
    /// next call finds it unknown and it joins again.
    /// </summary>
    private void SaveJoinsSoon()
    {
        _joinSave ??= this.RegisterGrainTimer(async () =>
        {
            _joinSave?.Dispose();
            _joinSave = null;
            await state.WriteStateAsync();
        }, new GrainTimerCreationOptions(JoinSaveDelay, Timeout.InfiniteTimeSpan));
    }

    private void ArmTimer(TimeSpan dueTime, Func<Task> callback)
    {
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(callback, new GrainTimerCreationOptions(dueTime, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private void SignalChange()
    {
        _stateVersion++;
        var previous = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }
}
