using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PoolCompress.Coordinator.Telemetry;

namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// Moves a federation from phase to phase: starts rounds, closes them, runs the federated evaluation and finishes,
/// each step decided by <see cref="RoundLifecycle"/> and carried out with the grain's storage and timer
/// (<see cref="IFederationHost"/>).
/// </summary>
internal sealed class FederationRun(
    FederationState state, IFederationHost host, RoundLifecycle lifecycle, RoundCloser closer,
    FederatedEvaluationRound federatedEvaluation, CentralEvaluation centralEvaluation, ChangeSignal changes, int classes, ILogger logger)
{
    private Activity? _roundSpan;

    /// <summary>The end of the federation once its last round closed: done when every evaluation is recorded and the end is stored.</summary>
    public Task Finishing { get; private set; } = Task.CompletedTask;

    public Task Advance(RoundOutcome outcome) => outcome switch
    {
        RoundOutcome.AwaitDeadline => ArmDeadline(),
        RoundOutcome.StartFirstRound => StartRound(1, 0),
        RoundOutcome.CloseRound => CompleteRound(atDeadline: true),
        RoundOutcome.RerunSameClients => StartRound(state.Round, state.Attempt + 1, sameClients: true),
        RoundOutcome.RerunNewClients => StartRound(state.Round, state.Attempt + 1),
        RoundOutcome.NextRound => StartRound(state.Round + 1, 0),
        RoundOutcome.Evaluate => StartEvaluation(),
        RoundOutcome.FinishEvaluation => FinishEvaluation(),
        RoundOutcome.Finish => Finish(),
        _ => Task.CompletedTask,
    };

    /// <summary>Arms the timer for the phase's deadline; the lifecycle decides what reaching it means, and a timer that fires early only arms it again.</summary>
    public Task ArmDeadline()
    {
        host.Arm(lifecycle.UntilDeadline, () => Advance(lifecycle.AtDeadline()));
        return Task.CompletedTask;
    }

    /// <summary>Once a client's answer lets the round close, closes it in a turn of its own, never inside (or against the timeout of) that client's call.</summary>
    public T CloseRoundSoonIfSettled<T>(T answer)
    {
        if (lifecycle.SettledAndCanClose()) host.Arm(TimeSpan.Zero, () => lifecycle.CanClose ? CompleteRound(atDeadline: false) : Task.CompletedTask);
        return answer;
    }

    public T FinishEvaluationSoonIfAnswered<T>(T answer)
    {
        if (federatedEvaluation.AnsweredAllJustNow()) host.Arm(TimeSpan.Zero, FinishEvaluation);
        return answer;
    }

    private async Task StartRound(int round, int attempt, bool sameClients = false)
    {
        lifecycle.Begin(round, attempt, sameClients);
        await host.WriteStateAsync();
        _roundSpan?.Stop();
        _roundSpan = RoundTracing.StartRound(lifecycle.Settings.FederationId, round, attempt, state.Selected);
        await ArmDeadline();
        changes.Signal();
        logger.LogInformation("Round {Round} started (attempt {Attempt}) with {Count} clients", round, attempt, state.Selected.Count);
    }

    private async Task CompleteRound(bool atDeadline)
    {
        host.Disarm();
        var outcome = await closer.CloseAsync(atDeadline, _roundSpan);
        // The central evaluation ends the span of a round that made a model; a rerun's start stops it.
        if (outcome is not (RoundOutcome.RerunSameClients or RoundOutcome.RerunNewClients)) _roundSpan = null;
        await Advance(outcome);
    }

    private async Task StartEvaluation()
    {
        lifecycle.BeginEvaluation();
        await host.WriteStateAsync();
        federatedEvaluation.Begin(lifecycle.Evaluators);
        await ArmDeadline();
        changes.Signal();
        logger.LogInformation("Round {Round}: {Count} clients evaluate model version {Version}", state.Round, federatedEvaluation.Asked, state.ModelVersion);
    }

    private async Task FinishEvaluation()
    {
        if (state.Phase != FederationPhase.Evaluating) return;
        await federatedEvaluation.RecordAsync(centralEvaluation.Recorded, classes);
        await Advance(lifecycle.NextRoundOrFinish());
    }

    private Task Finish()
    {
        Finishing = FinishWhenEverythingIsRecorded();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Evaluations can fall behind the rounds; the federation is done (and clients hear DONE) when the last one is
    /// recorded. This waits outside the grain's turns, so task polls meanwhile are answered WAIT at once. A failure
    /// ends the activation, which then resumes from storage and runs the last round again.
    /// </summary>
    private async Task FinishWhenEverythingIsRecorded()
    {
        try
        {
            await centralEvaluation.Recorded;
            lifecycle.Finish();
            await host.WriteStateAsync();
            changes.Signal();
            logger.LogInformation("Federation {Federation} finished after {Rounds} rounds", lifecycle.Settings.FederationId, state.Round);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Federation {Federation} could not record its end; resuming it from storage", lifecycle.Settings.FederationId);
            host.Deactivate();
        }
    }
}
