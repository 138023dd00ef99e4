using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PoolCompress.Coordinator.Models;
using PoolCompress.Coordinator.Telemetry;
using PoolCompress.Learning;

namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// Central evaluation: the coordinator scores each new global model on its test set off the grain's turns. The
/// next round starts (and task polls are answered) while the evaluation thread scores the model, and the round's
/// metrics join the history when it is done, always in round order. A completed round is stored as awaiting
/// evaluation with the next round's start; a coordinator that dies before its evaluation is recorded evaluates
/// that model version again when the grain is activated, so no round goes missing from the history.
/// </summary>
internal sealed class CentralEvaluation(
    FederationState state, IGlobalModelEvaluator evaluator, FederationMetrics instruments, ILogger logger)
{
    /// <summary>Done when every round handed to <see cref="Record"/> so far is in the history.</summary>
    public Task Recorded { get; private set; } = Task.CompletedTask;

    /// <summary>Starts scoring a new model on the evaluation thread.</summary>
    public Task<EvaluationResult> Start(float[] published) => evaluator.EvaluateAsync(published);

    /// <summary>
    /// Records a closed round once <paramref name="evaluation"/> is done. Call it in the grain's turn: what follows
    /// each await then runs on the grain's scheduler, between its turns.
    /// </summary>
    public void RecordWhenDone(RoundMetrics unevaluated, Task<EvaluationResult> evaluation, Activity? roundSpan)
    {
        state.AwaitingEvaluation.Add(unevaluated);
        Record(unevaluated, evaluation, roundSpan);
    }

    public async Task EvaluateAgainWhatALostActivationLeftUnrecorded(IModelStore store, string series, CancellationToken cancellationToken)
    {
        foreach (var unevaluated in state.AwaitingEvaluation.OrderBy(m => m.Round).ToList())
        {
            var weights = await store.LoadAsync(series, unevaluated.ModelVersion, cancellationToken)
                ?? throw new InvalidOperationException($"round {unevaluated.Round} awaits the evaluation of model version {unevaluated.ModelVersion}, which the model store does not hold ({series})");
            Record(unevaluated, evaluator.EvaluateAsync(weights), roundSpan: null);
        }
    }

    private void Record(RoundMetrics unevaluated, Task<EvaluationResult> evaluation, Activity? roundSpan)
    {
        var previous = Recorded;
        Recorded = RecordInOrder(previous, unevaluated, evaluation, roundSpan);
    }

    private async Task RecordInOrder(Task previous, RoundMetrics unevaluated, Task<EvaluationResult> evaluation, Activity? roundSpan)
    {
        await previous;
        var metrics = await WithTestMetrics(unevaluated, evaluation);
        // Written with the next state write (a round start, a join batch, the end): an evaluation lost before
        // that is done again on activation, from the round still stored as awaiting it.
        state.AwaitingEvaluation.RemoveAll(m => m.Round == metrics.Round);
        state.History.Add(metrics);
        instruments.RoundCompleted(metrics);
        RoundTracing.EndRound(roundSpan, metrics);
        logger.LogInformation("Round {Round} done: accuracy {Accuracy:F4}, loss {Loss:F4}, {Participants} updates, {Up} B up, {Down} B down",
            metrics.Round, metrics.TestAccuracy, metrics.TestLoss, metrics.Participants, metrics.UplinkBytes, metrics.DownlinkBytes);
    }

    private async Task<RoundMetrics> WithTestMetrics(RoundMetrics unevaluated, Task<EvaluationResult> evaluation)
    {
        try
        {
            var result = await evaluation;
            return unevaluated with
            {
                TestAccuracy = result.Accuracy, TestLoss = result.Loss, MacroF1 = result.MacroF1, PerClassRecall = result.PerClassRecall,
                TestAuc = result.Auc,
            };
        }
        catch (Exception e)
        {
            logger.LogError(e, "Round {Round}: evaluating model version {Version} failed; its test metrics stay empty", unevaluated.Round, unevaluated.ModelVersion);
            return unevaluated;
        }
    }
}
