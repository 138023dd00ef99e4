using Microsoft.Extensions.Logging;
using PoolCompress.Coordinator.Strategies;

namespace PoolCompress.Coordinator.Federation;

/// <summary>What the federation does next once a round has closed or reached its deadline.</summary>
internal enum RoundOutcome
{
    None,
    /// <summary>The deadline is still ahead (or was moved): arm its timer again.</summary>
    AwaitDeadline,
    StartFirstRound,
    CloseRound,
    /// <summary>A silo's sum was lost: the round runs again with the same clients, who resend what they sent.</summary>
    RerunSameClients,
    /// <summary>No usable update came: the round runs again with clients drawn anew.</summary>
    RerunNewClients,
    Evaluate,
    FinishEvaluation,
    NextRound,
    Finish,
}

/// <summary>
/// The federation's state machine over its durable <see cref="FederationState"/>: which phase it is in, which
/// clients the round asks, whether a client's update counts, when the round can close, and what a deadline means
/// in each phase. It reads time only from the <see cref="TimeProvider"/> it is given, so deadlines can be tested
/// on a fake clock; the grain only arms a timer for <see cref="UntilDeadline"/> and acts on <see cref="AtDeadline"/>.
/// </summary>
internal sealed class RoundLifecycle(FederationState state, FederatedStrategy strategy, TimeProvider time, string federationKey, ILogger logger)
{
    /// <summary>A client settled since <see cref="SettledAndCanClose"/> last looked.</summary>
    private bool _settled;

    private RoundInfluence _influence = RoundInfluence.For([], 0);

    public FederationSettings Settings =>
        state.Settings ?? throw new InvalidOperationException($"federation '{federationKey}' has not been configured");

    /// <summary>The attempt in progress (or the last one), null before the first round.</summary>
    public RoundContributions? Current { get; private set; }

    /// <summary>The last attempt that was reduced into a model, to answer a confirmation that arrives after the reduce.</summary>
    public RoundContributions? LastReduced { get; private set; }

    public EmulatedLinks? Links { get; private set; }

    /// <summary>The last round has closed; the federation is done once its evaluations are recorded.</summary>
    public bool LastRoundClosed { get; private set; }

    /// <summary>When the phase's deadline falls: the join timeout, the round timeout or the evaluation timeout.</summary>
    public DateTimeOffset? Deadline { get; private set; }

    /// <summary>Whether a round takes updates: training, and not the last round waiting for its evaluation.</summary>
    public bool IsOpen => state.Phase == FederationPhase.Training && !LastRoundClosed;

    public TimeSpan UntilDeadline => Deadline is { } deadline && deadline > time.GetUtcNow() ? deadline - time.GetUtcNow() : TimeSpan.Zero;

    /// <summary>Wall time of the round in progress, over every attempt and coordinator restart.</summary>
    public double RoundWallSeconds => (time.GetUtcNow().UtcDateTime - state.RoundStartedUtc).TotalSeconds;

    /// <summary>False when storage already holds these settings; throws when it holds others.</summary>
    public bool Configure(FederationSettings settings)
    {
        if (state.Settings is not null)
        {
            return state.Settings == settings ? false : throw new InvalidOperationException(
                $"storage already holds federation '{state.Settings.FederationId}' with other settings; use another federation id or clear the storage");
        }
        state.Settings = settings;
        state.ModelVersion = 1;
        state.ClipBound = settings.FirstClipBound();
        WaitForClients();
        return true;
    }

    /// <summary>Where an activation picks the federation up: a round in progress runs again with the same clients.</summary>
    public RoundOutcome OnActivation()
    {
        switch (state.Phase)
        {
            case FederationPhase.Training:
                logger.LogInformation("Resuming federation {Federation} at round {Round} from model version {Version}",
                    Settings.FederationId, state.Round, state.ModelVersion);
                return RoundOutcome.RerunSameClients;
            case FederationPhase.Evaluating:
                return RoundOutcome.Evaluate;
            case FederationPhase.WaitingForClients:
                WaitForClients();
                return RoundOutcome.AwaitDeadline;
            default:
                return RoundOutcome.None;
        }
    }

    public void WaitForClients()
    {
        state.Phase = FederationPhase.WaitingForClients;
        Deadline = time.GetUtcNow() + Settings.JoinTimeout;
    }

    /// <summary>Adds a client at its first join; false when it had joined, since a client's weight is fixed then.</summary>
    public bool AddClient(string clientId, long sampleCount)
    {
        var settings = Settings;
        ReturnToSelectionPool(clientId);
        if (!state.Clients.TryAdd(clientId, ClientWeights.For(sampleCount, settings))) return false;
        logger.LogInformation("Client {Client} joined with {Samples} samples, weight {Weight} ({Joined}/{Expected})",
            clientId, sampleCount, state.Clients[clientId], state.Clients.Count, settings.Clients);
        return true;
    }

    public bool ShouldStartFirstRound => state.Phase == FederationPhase.WaitingForClients && state.Clients.Count >= Settings.Clients;

    /// <param name="sameClients">
    /// For an attempt that reruns a round whose updates were lost (a coordinator restart, a lost silo): the same
    /// clients are asked again, so they resend the updates they already sent and the round ends as it would have.
    /// </param>
    public RoundContributions Begin(int round, int attempt, bool sameClients = false)
    {
        var settings = Settings;
        state.Phase = FederationPhase.Training;
        state.Round = round;
        state.Attempt = attempt;
        // Zero: a state written before the target was kept.
        if (!sameClients || state.RoundTarget == 0) state.RoundTarget = settings.ClientsPerRound(state.Clients.Count);
        if (!sameClients) SelectClients(round, attempt);
        _influence = RoundInfluence.For(state.Selected.Select(c => state.Clients[c]), settings.WeightCap);
        if (attempt == 0) state.RoundStartedUtc = time.GetUtcNow().UtcDateTime;
        Current = new RoundContributions(new RoundAttempt(round, attempt));
        _settled = false;
        Links = settings.LinkMode == LinkMode.Modeled ? new EmulatedLinks(settings, state.Clients.Keys) : null;
        Deadline = time.GetUtcNow() + settings.RoundTimeout;
        return Current;
    }

    private void SelectClients(int round, int attempt)
    {
        var fits = strategy.SelectForFit(new FitRound([.. state.Clients.Keys.Where(InSelectionPool)], Settings.OverSelected(state.RoundTarget), Settings.Seed, round, attempt));
        state.Selected = [.. fits.Select(f => f.ClientId)];
        state.FitConfigs = fits.ToDictionary(f => f.ClientId, f => new Dictionary<string, string>(f.Config, StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>What the strategy told a selected client for this round's training; null for a task other than training.</summary>
    public Dictionary<string, string>? FitConfigFor(string clientId, AssignmentKind kind) =>
        kind == AssignmentKind.Train ? state.FitConfigs.GetValueOrDefault(clientId) : null;

    public void BeginEvaluation()
    {
        state.Phase = FederationPhase.Evaluating;
        Deadline = time.GetUtcNow() + Settings.RoundTimeout;
    }

    public IReadOnlyCollection<string> Evaluators =>
        strategy.ConfigureEvaluate(new EvaluationRound(state.Round, state.Selected, state.Clients.Keys, Settings.EvalClients));

    public void Finish()
    {
        state.Phase = FederationPhase.Done;
        Deadline = null;
    }

    /// <summary>What the phase's deadline means now; <see cref="RoundOutcome.None"/> before it is reached.</summary>
    public RoundOutcome AtDeadline()
    {
        if (Deadline is not { } deadline) return RoundOutcome.None;
        if (time.GetUtcNow() < deadline) return RoundOutcome.AwaitDeadline;
        Deadline = null;
        switch (state.Phase)
        {
            case FederationPhase.WaitingForClients when state.Clients.Count >= Settings.MinClients:
                return RoundOutcome.StartFirstRound;
            case FederationPhase.WaitingForClients:
                WaitForClients();
                return RoundOutcome.AwaitDeadline;
            case FederationPhase.Training when IsOpen:
                logger.LogWarning("Round {Round} reached its deadline with {Missing} of {Selected} clients missing",
                    state.Round, state.Selected.Count(c => !Current!.IsSettled(c)), state.Selected.Count);
                return RoundOutcome.CloseRound;
            case FederationPhase.Evaluating:
                return RoundOutcome.FinishEvaluation;
            default:
                return RoundOutcome.None;
        }
    }

    public AssignmentKind AssignmentFor(string clientId, bool askedToEvaluate) =>
        !state.Clients.ContainsKey(clientId) ? AssignmentKind.NotJoined
        : state.Phase == FederationPhase.Done ? AssignmentKind.Done
        : IsOpen && state.Selected.Contains(clientId) && !Current!.HasAnswered(clientId) ? AssignmentKind.Train
        : askedToEvaluate ? AssignmentKind.Evaluate
        : AssignmentKind.Wait;

    public UpdateVerdict Verdict(string clientId, int round, long baseModelVersion)
    {
        if (!IsOpen || round != state.Round || baseModelVersion != state.ModelVersion) return UpdateVerdict.Stale;
        if (!state.Selected.Contains(clientId)) return UpdateVerdict.NotSelected;
        return Current!.IsSettled(clientId) ? UpdateVerdict.Duplicate : UpdateVerdict.Accepted;
    }

    /// <summary>
    /// Whether a client settled since the last call and the round can now close: checked after each answer, so the
    /// round closes in a turn of its own, never inside (or against the timeout of) the client call that settled it.
    /// </summary>
    public bool SettledAndCanClose()
    {
        bool settled = _settled;
        _settled = false;
        return settled && CanClose;
    }

    public UpdateAdmission Admit(string clientId, int round, long baseModelVersion, string partialKey, TrainingReport training)
    {
        var verdict = Verdict(clientId, round, baseModelVersion);
        if (verdict != UpdateVerdict.Accepted) return UpdateAdmission.Refused(verdict);
        var contributions = Current!;
        // A re-admitted client (its first silo never confirmed) already passed the link check.
        if (Links is not null && !contributions.IsAdmitted(clientId) && !Links.Arrives(clientId, training))
        {
            contributions.MarkLate(clientId, training);
            _settled = true;
            return UpdateAdmission.Refused(UpdateVerdict.TooLate);
        }
        long weight = _influence.Weight(state.Clients[clientId]);
        double? bound = _influence.ClipBound(state.ClipBound, weight);
        contributions.Admit(clientId, partialKey, training with { ClipBound = bound });
        return new UpdateAdmission(UpdateVerdict.Accepted, contributions.Attempt, weight, bound);
    }

    public UpdateVerdict Confirm(string clientId, RoundAttempt attempt, string partialKey)
    {
        if (IsOpen && Current?.Attempt == attempt)
        {
            if (Current.Deliver(clientId, partialKey)) return Settled(UpdateVerdict.Accepted);
            return Current.IsDelivered(clientId) ? UpdateVerdict.Duplicate : UpdateVerdict.Stale;
        }
        // The round was reduced at its deadline while this add was landing: the sum counted it if it held it.
        return LastReduced?.Attempt == attempt && LastReduced.IsDelivered(clientId) ? UpdateVerdict.Accepted : UpdateVerdict.Stale;
    }

    /// <summary>Counts a client's update as rejected, unless it no longer counts (stale, not selected, already settled).</summary>
    public void Reject(string clientId, int round, string reason)
    {
        if (Verdict(clientId, round, state.ModelVersion) != UpdateVerdict.Accepted) return;
        logger.LogWarning("Round {Round}: update from {Client} rejected: {Reason}", round, clientId, reason);
        Current!.Reject(clientId);
        _settled = true;
    }

    private UpdateVerdict Settled(UpdateVerdict verdict)
    {
        _settled = true;
        return verdict;
    }

    public bool CanClose => IsOpen && (state.Selected.All(Current!.IsSettled) || Current.Delivered >= state.RoundTarget);

    public void MarkReduced(RoundContributions contributions) => LastReduced = contributions;

    /// <summary>After a round's model is made: evaluate it with the clients, start the next round, or finish.</summary>
    public RoundOutcome AfterClose() => Settings.EvaluatesAfter(state.Round) ? RoundOutcome.Evaluate : NextRoundOrFinish();

    public RoundOutcome NextRoundOrFinish()
    {
        if (state.Round < Settings.Rounds) return RoundOutcome.NextRound;
        LastRoundClosed = true;
        return RoundOutcome.Finish;
    }

    public int ClientsYetToHearDone(IReadOnlySet<string> toldDone) =>
        state.Phase == FederationPhase.Done ? state.Clients.Keys.Count(c => !toldDone.Contains(c)) : state.Clients.Count;

    public bool InSelectionPool(string clientId) =>
        Settings.DropAfterMissed == 0 || state.MissedDeadlines.GetValueOrDefault(clientId) < Settings.DropAfterMissed;

    /// <summary>A client dropped for missed deadlines is back in the pool once it calls.</summary>
    public void ReturnToSelectionPool(string clientId)
    {
        if (state.Settings is null || InSelectionPool(clientId)) return;
        state.MissedDeadlines.Remove(clientId);
        logger.LogInformation("Client {Client} called again and is back in the selection pool", clientId);
    }

    /// <summary>A client that answered is on time again; one that missed this round's deadline has missed one more in a row.</summary>
    public void CountMissedDeadlines(bool atDeadline)
    {
        int dropAfter = Settings.DropAfterMissed;
        if (dropAfter == 0) return;
        foreach (string client in state.Selected)
        {
            if (Current!.HasAnswered(client))
                state.MissedDeadlines.Remove(client);
            else if (atDeadline && (state.MissedDeadlines[client] = state.MissedDeadlines.GetValueOrDefault(client) + 1) == dropAfter)
                logger.LogWarning("Client {Client} missed {Missed} round deadlines in a row; it is not selected again until it calls", client, dropAfter);
        }
    }
}
