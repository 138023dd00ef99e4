using Microsoft.Extensions.Logging;
using PoolCompress.Coordinator.Strategies;
using PoolCompress.Learning;

namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// Federated evaluation: after a round whose model is due for it (<see cref="FederationSettings.EvaluatesAfter"/>),
/// the round's selected clients (or all) score the new model on their validation data and report; once every one of
/// them has answered (a malformed report is an answer), or at the round timeout, the reports are averaged into the
/// round's metrics. Reports live only in memory: a coordinator restarted mid-evaluation asks for them again.
/// </summary>
internal sealed class FederatedEvaluationRound(FederationState state, FederatedStrategy strategy, ILogger logger)
{
    private HashSet<string> _evaluators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClientEvaluation> _reports = new(StringComparer.Ordinal);
    /// <summary>Clients whose report was malformed: that was their answer, so the evaluation does not wait for them.</summary>
    private readonly HashSet<string> _refused = new(StringComparer.Ordinal);

    /// <summary>An answer counted since <see cref="AnsweredAllJustNow"/> last looked.</summary>
    private bool _answered;

    public int Asked => _evaluators.Count;

    /// <summary>Whether an answer was counted since the last call and it was the last one the evaluation waited for.</summary>
    public bool AnsweredAllJustNow()
    {
        bool answered = _answered;
        _answered = false;
        return answered && _reports.Count + _refused.Count == _evaluators.Count;
    }

    public void Begin(IEnumerable<string> evaluators)
    {
        _evaluators = new HashSet<string>(evaluators, StringComparer.Ordinal);
        _reports.Clear();
        _refused.Clear();
        _answered = false;
    }

    public UpdateVerdict Verdict(string clientId, int round, long modelVersion)
    {
        if (state.Phase != FederationPhase.Evaluating || round != state.Round || modelVersion != state.ModelVersion) return UpdateVerdict.Stale;
        if (!_evaluators.Contains(clientId)) return UpdateVerdict.NotSelected;
        return IsAsked(clientId) ? UpdateVerdict.Accepted : UpdateVerdict.Duplicate;
    }

    public bool IsAsked(string clientId) =>
        state.Phase == FederationPhase.Evaluating && _evaluators.Contains(clientId)
        && !_reports.ContainsKey(clientId) && !_refused.Contains(clientId);

    public UpdateVerdict Report(int round, long modelVersion, ClientEvaluation evaluation)
    {
        var verdict = Verdict(evaluation.ClientId, round, modelVersion);
        if (verdict != UpdateVerdict.Accepted) return verdict;
        _reports.Add(evaluation.ClientId, evaluation);
        _answered = true;
        return verdict;
    }

    /// <summary>Counts a malformed report as the client's answer, unless it no longer counts (stale, not asked, already answered).</summary>
    public void Refuse(string clientId, int round, long modelVersion, string reason)
    {
        if (Verdict(clientId, round, modelVersion) != UpdateVerdict.Accepted) return;
        logger.LogWarning("Round {Round}: evaluation from {Client} rejected: {Reason}", round, clientId, reason);
        _refused.Add(clientId);
        _answered = true;
    }

    /// <summary>Under federated distillation, each kind of network's scores apart, as each client's id gives it its network.</summary>
    private FederatedEvaluation? ByModel(FederatedEvaluation? result) =>
        result is null || state.Settings is not { SharesKnowledge: true } settings ? result
        : result with { ByModel = ModelEvaluation.Of(result.PerClient, id => KnowledgeSharing.ModelOf(id, settings.ClientModels!)) };

    /// <summary>
    /// Averages the reports into the round's metrics, once <paramref name="centralRecorded"/> (the coordinator's own
    /// evaluation of the round's model) has put the round in the history.
    /// </summary>
    public async Task RecordAsync(Task centralRecorded, int classes)
    {
        var result = ByModel(strategy.AggregateEvaluate(_reports.Values, classes));
        await centralRecorded;
        int round = state.History.FindIndex(m => m.Round == state.Round);
        if (round >= 0) state.History[round] = state.History[round] with { FederatedEval = result };
        if (result is null)
        {
            logger.LogWarning("Round {Round}: no client reported an evaluation on validation data ({Reported} of {Asked} reported)",
                state.Round, _reports.Count, _evaluators.Count);
        }
        else
        {
            logger.LogInformation("Round {Round} federated evaluation: accuracy {Accuracy:F4}, loss {Loss:F4} over {Examples} examples of {Clients} clients",
                state.Round, result.Accuracy, result.Loss, result.Examples, result.Clients);
        }
    }
}
