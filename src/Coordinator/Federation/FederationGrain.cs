using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Models;
using PoolCompress.Coordinator.Transport;

namespace PoolCompress.Coordinator.Federation;

public sealed class FederationGrain(
    [PersistentState("federation", FederationGrain.StorageName)] IPersistentState<FederationState> state,
    IModelStore modelStore,
    CoordinatorModel model,
    DownlinkEncoder downlink,
    TrafficMeter traffic,
    ILogger<FederationGrain> logger) : Grain, IFederationGrain
{
    public const string StorageName = "federation";

    private readonly HashSet<string> _delivered = new(StringComparer.Ordinal);
    private readonly HashSet<string> _rejected = new(StringComparer.Ordinal);
    private readonly HashSet<string> _late = new(StringComparer.Ordinal);
    private EmulatedLinks? _links;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _stateVersion;
    private float[]? _globalModel;
    private float[]? _publishedModel;
    private FedAvgAggregator? _aggregator;
    private readonly List<TrainingReport> _trainingReports = [];
    private long _roundStartedAt;
    private TrafficSnapshot _trafficMark;
    private IGrainTimer? _timer;

    private FederationState S => state.State;

    private FederationSettings Settings =>
        S.Settings ?? throw new InvalidOperationException($"federation '{this.GetPrimaryKeyString()}' has not been configured");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _trafficMark = traffic.Snapshot();
        if (S.Settings is null) return;
        _globalModel = await Load(ModelSeries.Global(S.Settings.FederationId), cancellationToken);
        _publishedModel = downlink.SendsDifferences ? await Load(ModelSeries.Published(S.Settings.FederationId), cancellationToken) : _globalModel;
        if (S.Phase == FederationPhase.Training)
        {
            logger.LogInformation("Resuming federation {Federation} at round {Round} from model version {Version}",
                S.Settings.FederationId, S.Round, S.ModelVersion);
            await StartRound(S.Round, S.Attempt + 1);
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
        _globalModel = _publishedModel = model.CreateInitialWeights();
        await Save(_globalModel, _publishedModel);
        await state.WriteStateAsync();
        _trafficMark = traffic.Snapshot();
        ArmTimer(settings.JoinTimeout, OnJoinTimeout);
        logger.LogInformation("Federation {Federation} configured: {Clients} clients, {Rounds} rounds, model {Model} ({Parameters} parameters)",
            settings.FederationId, settings.Clients, settings.Rounds, settings.Model, model.ParameterCount);
        return Status();
    }

    public async Task<FederationSettings> Join(string clientId, long sampleCount)
    {
        var settings = Settings;
        bool known = S.Clients.TryGetValue(clientId, out long previous);
        if (!known || previous != sampleCount)
        {
            S.Clients[clientId] = sampleCount;
            await state.WriteStateAsync();
            logger.LogInformation("Client {Client} joined with {Samples} samples ({Joined}/{Expected})",
                clientId, sampleCount, S.Clients.Count, settings.Clients);
        }
        if (S.Phase == FederationPhase.WaitingForClients && S.Clients.Count >= settings.Clients)
            await StartRound(1, 0);
        return settings;
    }

    public Task<TaskAssignment> GetAssignment(string clientId)
    {
        var kind = !S.Clients.ContainsKey(clientId) ? AssignmentKind.NotJoined
            : S.Phase == FederationPhase.Done ? AssignmentKind.Done
            : S.Phase == FederationPhase.Training && S.Selected.Contains(clientId) && !HasReported(clientId) ? AssignmentKind.Train
            : AssignmentKind.Wait;
        return Task.FromResult(new TaskAssignment(kind, S.Round, S.ModelVersion, _stateVersion));
    }

    public async Task WaitForChange(long knownStateVersion, TimeSpan timeout)
    {
        if (knownStateVersion != _stateVersion) return;
        await Task.WhenAny(_changed.Task, Task.Delay(timeout));
    }

    public Task<UpdateVerdict> CheckUpdate(string clientId, int round, long baseModelVersion) =>
        Task.FromResult(Verdict(clientId, round, baseModelVersion));

    public async Task<UpdateVerdict> SubmitUpdate(string clientId, int round, long baseModelVersion, Immutable<float[]> delta, TrainingReport training)
    {
        var verdict = Verdict(clientId, round, baseModelVersion);
        if (verdict != UpdateVerdict.Accepted) return verdict;
        S.ClientTotals[clientId] = (S.ClientTotals.GetValueOrDefault(clientId) ?? new ClientTotals(clientId, 0, 0, 0)).Add(training);
        _trainingReports.Add(training);
        if (_links is not null && !_links.Arrives(clientId, training))
        {
            _late.Add(clientId);
            await CompleteRoundIfAllReported();
            return UpdateVerdict.TooLate;
        }
        _aggregator!.Add(delta.Value, S.Clients[clientId]);
        _delivered.Add(clientId);
        await CompleteRoundIfAllReported();
        return UpdateVerdict.Accepted;
    }

    public async Task RejectUpdate(string clientId, int round, string reason)
    {
        if (Verdict(clientId, round, S.ModelVersion) != UpdateVerdict.Accepted) return;
        logger.LogWarning("Round {Round}: update from {Client} rejected: {Reason}", round, clientId, reason);
        _rejected.Add(clientId);
        await CompleteRoundIfAllReported();
    }

    public Task<FederationStatus> GetStatus() => Task.FromResult(Status());

    private FederationStatus Status() =>
        new(S.Phase, S.Round, S.ModelVersion, S.Clients.Count, S.History.ToArray(), S.Settings,
            S.ClientTotals.Values.OrderBy(c => c.ClientId, StringComparer.Ordinal).ToArray());

    private bool HasReported(string clientId) => _delivered.Contains(clientId) || _rejected.Contains(clientId) || _late.Contains(clientId);

    private UpdateVerdict Verdict(string clientId, int round, long baseModelVersion)
    {
        if (S.Phase != FederationPhase.Training || round != S.Round || baseModelVersion != S.ModelVersion) return UpdateVerdict.Stale;
        if (!S.Selected.Contains(clientId)) return UpdateVerdict.NotSelected;
        return HasReported(clientId) ? UpdateVerdict.Duplicate : UpdateVerdict.Accepted;
    }

    private async Task StartRound(int round, int attempt)
    {
        var settings = Settings;
        S.Phase = FederationPhase.Training;
        S.Round = round;
        S.Attempt = attempt;
        S.Selected = ClientSelection.Select(S.Clients.Keys, settings.ClientsPerRound(S.Clients.Count), settings.Seed, round, attempt).ToList();
        await state.WriteStateAsync();
        _aggregator = new FedAvgAggregator(_globalModel!.Length);
        _delivered.Clear();
        _rejected.Clear();
        _late.Clear();
        _trainingReports.Clear();
        _links = settings.LinkMode == LinkMode.Modeled ? new EmulatedLinks(settings, S.Clients.Keys) : null;
        if (attempt == 0 || _roundStartedAt == 0) _roundStartedAt = Stopwatch.GetTimestamp();
        ArmTimer(settings.RoundTimeout, OnRoundDeadline);
        SignalChange();
        logger.LogInformation("Round {Round} started (attempt {Attempt}) with {Count} clients", round, attempt, S.Selected.Count);
    }

    private Task CompleteRoundIfAllReported() =>
        S.Selected.All(HasReported) ? CompleteRound() : Task.CompletedTask;

    private async Task OnRoundDeadline()
    {
        if (S.Phase != FederationPhase.Training) return;
        int missing = S.Selected.Count(c => !HasReported(c));
        logger.LogWarning("Round {Round} reached its deadline with {Missing} of {Selected} clients missing",
            S.Round, missing, S.Selected.Count);
        await CompleteRound();
    }

    private async Task OnJoinTimeout()
    {
        if (S.Phase != FederationPhase.WaitingForClients) return;
        if (S.Clients.Count >= Settings.MinClients)
            await StartRound(1, 0);
        else
            ArmTimer(Settings.JoinTimeout, OnJoinTimeout);
    }

    private async Task CompleteRound()
    {
        _timer?.Dispose();
        var settings = Settings;
        var aggregator = _aggregator!;
        if (aggregator.Updates == 0 && _late.Count == 0)
        {
            logger.LogWarning("Round {Round} ended without a usable update; selecting clients again", S.Round);
            await StartRound(S.Round, S.Attempt + 1);
            return;
        }

        long aggregationStart = Stopwatch.GetTimestamp();
        var next = (float[])_globalModel!.Clone();
        // A round whose every update missed its (emulated) deadline still took its time; the model stays as it was.
        if (aggregator.Updates > 0) aggregator.ApplyTo(next);
        double aggregationSeconds = Stopwatch.GetElapsedTime(aggregationStart).TotalSeconds;
        long version = S.ModelVersion + 1;
        var published = downlink.SendsDifferences
            ? downlink.Apply(_publishedModel!, downlink.Difference(next, _publishedModel!, version))
            : next;
        // Clients train from the published model, so that is the one whose accuracy counts.
        var evaluation = await Task.Run(() => model.Evaluate(published));
        S.ModelVersion = version;
        await Save(next, published);

        int stragglers = S.Selected.Count(c => !HasReported(c)) + _late.Count;
        var now = traffic.Snapshot();
        var spent = now - _trafficMark;
        _trafficMark = now;
        var metrics = new RoundMetrics(
            Round: S.Round,
            TestAccuracy: evaluation.Accuracy,
            TestLoss: evaluation.Loss,
            Participants: aggregator.Updates,
            Selected: S.Selected.Count,
            UplinkBytes: spent.Received,
            DownlinkBytes: spent.Sent,
            WallSeconds: Stopwatch.GetElapsedTime(_roundStartedAt).TotalSeconds,
            MacroF1: evaluation.MacroF1,
            MeanTrainLoss: _trainingReports.Select(r => r.MeanLoss).DefaultIfEmpty().Average(),
            ModelVersion: version,
            AggregationSeconds: aggregationSeconds,
            Rejected: _rejected.Count,
            PerClassRecall: evaluation.PerClassRecall,
            Stragglers: stragglers,
            ModeledSeconds: _links?.RoundDuration(everyoneOnTime: stragglers == 0).TotalSeconds ?? 0,
            MeanTrainSeconds: _trainingReports.Select(r => r.Seconds).DefaultIfEmpty().Average(),
            MaxTrainSeconds: _trainingReports.Select(r => r.Seconds).DefaultIfEmpty().Max(),
            ClientPeakMemoryBytes: _trainingReports.Select(r => r.PeakMemoryBytes).DefaultIfEmpty().Max());
        _globalModel = next;
        _publishedModel = published;
        S.History.Add(metrics);
        logger.LogInformation("Round {Round} done: accuracy {Accuracy:F4}, loss {Loss:F4}, {Participants} updates, {Up} B up, {Down} B down",
            metrics.Round, metrics.TestAccuracy, metrics.TestLoss, metrics.Participants, metrics.UplinkBytes, metrics.DownlinkBytes);
        _roundStartedAt = 0;
        if (S.Round >= settings.Rounds)
        {
            S.Phase = FederationPhase.Done;
            await state.WriteStateAsync();
            SignalChange();
            logger.LogInformation("Federation {Federation} finished after {Rounds} rounds", settings.FederationId, S.Round);
        }
        else
        {
            await StartRound(S.Round + 1, 0);
        }
    }

    private async Task<float[]> Load(string series, CancellationToken cancellationToken) =>
        await modelStore.LoadAsync(series, S.ModelVersion, cancellationToken)
        ?? throw new InvalidOperationException($"federation '{Settings.FederationId}' is at model version {S.ModelVersion}, which the model store does not hold ({series})");

    private async Task Save(float[] global, float[] published)
    {
        await modelStore.SaveAsync(ModelSeries.Global(Settings.FederationId), S.ModelVersion, global);
        if (downlink.SendsDifferences) await modelStore.SaveAsync(ModelSeries.Published(Settings.FederationId), S.ModelVersion, published);
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
