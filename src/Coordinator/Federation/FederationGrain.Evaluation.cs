using Microsoft.Extensions.Logging;
using PoolCompress.Coordinator.Strategies;

namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// Federated evaluation: after a round whose model is due for it (<see cref="FederationSettings.EvaluatesAfter"/>),
/// the round's selected clients (or all) score the new model on their validation data and report; once every one of
/// them has answered (a malformed report is an answer), or at the round timeout, the reports are averaged into the round's metrics and the next round starts.
/// Reports live only in memory: a coordinator restarted mid-evaluation asks for them again.
/// </summary>
public sealed partial class FederationGrain
{
    private HashSet<string> _evaluators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClientEvaluation> _evaluations = new(StringComparer.Ordinal);
    /// <summary>Clients whose report was malformed: that was their answer, so the evaluation does not wait for them.</summary>
    private readonly HashSet<string> _refusedEvaluations = new(StringComparer.Ordinal);

    public Task<UpdateVerdict> ReportEvaluation(int round, long modelVersion, ClientEvaluation evaluation)
    {
        var verdict = EvaluationVerdict(evaluation.ClientId, round, modelVersion);
        if (verdict != UpdateVerdict.Accepted) return Task.FromResult(verdict);
        _evaluations.Add(evaluation.ClientId, evaluation);
        FinishEvaluationSoonIfAnswered();
        return Task.FromResult(UpdateVerdict.Accepted);
    }

    public Task RejectEvaluation(string clientId, int round, long modelVersion, string reason)
    {
        if (EvaluationVerdict(clientId, round, modelVersion) != UpdateVerdict.Accepted) return Task.CompletedTask;
        logger.LogWarning("Round {Round}: evaluation from {Client} rejected: {Reason}", round, clientId, reason);
        _refusedEvaluations.Add(clientId);
        FinishEvaluationSoonIfAnswered();
        return Task.CompletedTask;
    }

    private UpdateVerdict EvaluationVerdict(string clientId, int round, long modelVersion)
    {
        if (S.Phase != FederationPhase.Evaluating || round != S.Round || modelVersion != S.ModelVersion) return UpdateVerdict.Stale;
        if (!_evaluators.Contains(clientId)) return UpdateVerdict.NotSelected;
        return IsAskedToEvaluate(clientId) ? UpdateVerdict.Accepted : UpdateVerdict.Duplicate;
    }

    private bool IsAskedToEvaluate(string clientId) =>
        S.Phase == FederationPhase.Evaluating && _evaluators.Contains(clientId)
        && !_evaluations.ContainsKey(clientId) && !_refusedEvaluations.Contains(clientId);

    private void FinishEvaluationSoonIfAnswered()
    {
        if (_evaluations.Count + _refusedEvaluations.Count == _evaluators.Count) ArmTimer(TimeSpan.Zero, FinishEvaluation);
    }

    private async Task StartEvaluation()
    {
        S.Phase = FederationPhase.Evaluating;
        await state.WriteStateAsync();
        _evaluators = new HashSet<string>(strategy.ConfigureEvaluate(new EvaluationRound(S.Round, S.Selected, S.Clients.Keys, Settings.EvalClients)), StringComparer.Ordinal);
        _evaluations.Clear();
        _refusedEvaluations.Clear();
        ArmTimer(Settings.RoundTimeout, FinishEvaluation);
        SignalChange();
        logger.LogInformation("Round {Round}: {Count} clients evaluate model version {Version}", S.Round, _evaluators.Count, S.ModelVersion);
    }

    private async Task FinishEvaluation()
    {
        if (S.Phase != FederationPhase.Evaluating) return;
        var result = strategy.AggregateEvaluate(_evaluations.Values, model.DataSpec.Classes.Count);
        // The round joins the history once the coordinator's own evaluation of its model is done.
        await _recorded;
        int round = S.History.FindIndex(m => m.Round == S.Round);
        if (round >= 0) S.History[round] = S.History[round] with { FederatedEval = result };
        if (result is null)
        {
            logger.LogWarning("Round {Round}: no client reported an evaluation on validation data ({Reported} of {Asked} reported)",
                S.Round, _evaluations.Count, _evaluators.Count);
        }
        else
        {
            logger.LogInformation("Round {Round} federated evaluation: accuracy {Accuracy:F4}, loss {Loss:F4} over {Examples} examples of {Clients} clients",
                S.Round, result.Accuracy, result.Loss, result.Examples, result.Clients);
        }
        await StartNextRoundOrFinish();
    }
}
