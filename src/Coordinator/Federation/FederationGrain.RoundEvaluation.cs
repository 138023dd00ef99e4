using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PoolCompress.Coordinator.Models;
using PoolCompress.Coordinator.Telemetry;
using PoolCompress.Learning;

namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// The central evaluation of each new global model runs off the grain's turns: the next round starts (and task
/// polls are answered) while the evaluation thread scores the model, and the round's metrics join the history
/// when it is done, always in round order. A completed round is stored as awaiting evaluation with the next
/// round's start; a coordinator that dies before its evaluation is recorded evaluates that model version again
/// when the grain is activated, so no round goes missing from the history.
/// </summary>
public sealed partial class FederationGrain
{
    /// <summary>Done when every round handed to <see cref="RecordWhenEvaluated"/> so far is in the history.</summary>
    private Task _recorded = Task.CompletedTask;

    /// <summary>The last round has closed; the federation is done once its evaluations are recorded.</summary>
    private bool _lastRoundClosed;

    /// <summary>Whether a round takes updates: training, and not the last round waiting for its evaluation.</summary>
    private bool RoundIsOpen => S.Phase == FederationPhase.Training && !_lastRoundClosed;

    /// <summary>
    /// Evaluations can fall behind the rounds; the federation is done (and clients hear DONE) when the last one is
    /// recorded. Waiting for them happens outside the grain's turns, so task polls meanwhile are answered WAIT at once.
    /// </summary>
    private void FinishWhenEverythingIsRecorded()
    {
        var recorded = _recorded;
        _ = Finish();

        async Task Finish()
        {
            await recorded;
            S.Phase = FederationPhase.Done;
            await state.WriteStateAsync();
            SignalChange();
            logger.LogInformation("Federation {Federation} finished after {Rounds} rounds", Settings.FederationId, S.Round);
        }
    }

    private void RecordWhenEvaluated(RoundMetrics unevaluated, Task<EvaluationResult> evaluation, Activity? roundSpan)
    {
        var previous = _recorded;
        _recorded = RecordInTurn();

        // Started in the grain's context, so what follows each await runs on the grain's scheduler, between its turns.
        async Task RecordInTurn()
        {
            await previous;
            var metrics = unevaluated;
            try
            {
                var result = await evaluation;
                metrics = unevaluated with
                {
                    TestAccuracy = result.Accuracy, TestLoss = result.Loss, MacroF1 = result.MacroF1, PerClassRecall = result.PerClassRecall,
                    TestAuc = result.Auc,
                };
            }
            catch (Exception e)
            {
                logger.LogError(e, "Round {Round}: evaluating model version {Version} failed; its test metrics stay empty", unevaluated.Round, unevaluated.ModelVersion);
            }
            // Written with the next state write (a round start, a join batch, the end): an evaluation lost before
            // that is done again on activation, from the round still stored as awaiting it.
            S.AwaitingEvaluation.RemoveAll(m => m.Round == metrics.Round);
            S.History.Add(metrics);
            instruments.RoundCompleted(metrics);
            RoundTracing.EndRound(roundSpan, metrics);
            logger.LogInformation("Round {Round} done: accuracy {Accuracy:F4}, loss {Loss:F4}, {Participants} updates, {Up} B up, {Down} B down",
                metrics.Round, metrics.TestAccuracy, metrics.TestLoss, metrics.Participants, metrics.UplinkBytes, metrics.DownlinkBytes);
        }
    }

    private async Task EvaluateAgainWhatALostActivationLeftUnrecorded(CancellationToken cancellationToken)
    {
        string series = downlink.SendsDifferences ? ModelSeries.Published(Settings.FederationId) : ModelSeries.Global(Settings.FederationId);
        foreach (var unevaluated in S.AwaitingEvaluation.OrderBy(m => m.Round).ToList())
        {
            var weights = await modelStore.LoadAsync(series, unevaluated.ModelVersion, cancellationToken)
                ?? throw new InvalidOperationException($"round {unevaluated.Round} awaits the evaluation of model version {unevaluated.ModelVersion}, which the model store does not hold ({series})");
            RecordWhenEvaluated(unevaluated, evaluator.EvaluateAsync(weights), roundSpan: null);
        }
    }
}
